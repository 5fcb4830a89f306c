package com.example.shop.store.embedded;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The in-process MongoDB wire-protocol server that stands in when no {@code spring.mongodb.uri} is set.
 *
 * @param backend {@code file} keeps data in an H2 file under {@code path}; {@code memory} forgets it on stop
 * @param path    folder of the data file (one file per service, named after its database)
 * @param host    the loopback address the server binds to; it asks for no credential, so anyone on the machine
 *                can connect (a development default: production sets {@code spring.mongodb.uri})
 * @param port    the port it binds to; 0 picks a free one
 */
@ConfigurationProperties("shop.store.embedded")
public record EmbeddedMongoProperties(
        @DefaultValue("file") Backend backend,
        @DefaultValue("./data") Path path,
        @DefaultValue("127.0.0.1") String host,
        @DefaultValue("0") int port) {

    public enum Backend { FILE, MEMORY }
}
