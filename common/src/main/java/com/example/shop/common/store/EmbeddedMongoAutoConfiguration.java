package com.example.shop.common.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.mongodb.ConnectionString;
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration;
import org.springframework.boot.mongodb.autoconfigure.MongoConnectionDetails;
import org.springframework.boot.mongodb.autoconfigure.MongoReactiveAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;

/**
 * Starts an in-process MongoDB wire-protocol server when no MongoDB address is configured, and hands
 * its address to Boot as {@link MongoConnectionDetails}: the application reaches it through the
 * ordinary reactive driver, exactly as it reaches a real MongoDB. A {@code @ServiceConnection}
 * (Testcontainers) or a configured URI makes this back off.
 */
@AutoConfiguration(before = {MongoAutoConfiguration.class, MongoReactiveAutoConfiguration.class})
@ConditionalOnClass(MongoServer.class)
@Conditional(NoMongoUriCondition.class)
@ConditionalOnMissingBean(MongoConnectionDetails.class)
@EnableConfigurationProperties(EmbeddedMongoProperties.class)
public class EmbeddedMongoAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMongoAutoConfiguration.class);

    /** The database defaults to the application's name, so two services never share one. */
    static String databaseName(Environment env) {
        String explicit = env.getProperty("spring.mongodb.database");
        if (explicit != null && !explicit.isBlank()) {
            return explicit;
        }
        return env.getProperty("spring.application.name", "app").replaceAll("[^A-Za-z0-9_-]", "_");
    }

    /** The H2 data file of the file backend, one per database; {@code null} for the memory backend. */
    static Path dataFile(EmbeddedMongoProperties properties, Environment env) {
        if (properties.backend() != EmbeddedMongoProperties.Backend.FILE) {
            return null;
        }
        return properties.path().toAbsolutePath().normalize().resolve(databaseName(env) + ".mv");
    }

    @Bean(destroyMethod = "shutdown")
    MongoServer embeddedMongoServer(EmbeddedMongoProperties properties, Environment env) {
        Path dataFile = dataFile(properties, env);
        MongoBackend backend;
        if (dataFile != null) {
            try {
                Files.createDirectories(dataFile.getParent());
            }
            catch (IOException e) {
                throw new UncheckedIOException("Cannot create the embedded store's folder " + dataFile.getParent(), e);
            }
            backend = new CommittingH2Backend(dataFile.toString());
        }
        else {
            backend = new IndexedMemoryBackend();
        }
        MongoServer server = new MongoServer(backend);
        server.bind(properties.host(), properties.port());
        var address = server.getLocalAddress();
        log.info("Store: embedded MongoDB wire-protocol server ({} backend{}) listening on {}:{}, database '{}'",
                properties.backend().name().toLowerCase(), dataFile == null ? "" : ", data file " + dataFile,
                address.getHostString(), address.getPort(), databaseName(env));
        return server;
    }

    @Bean
    MongoConnectionDetails embeddedMongoConnectionDetails(MongoServer server, Environment env) {
        var address = server.getLocalAddress();
        var connectionString = new ConnectionString(
                "mongodb://" + address.getHostString() + ":" + address.getPort() + "/" + databaseName(env));
        return () -> connectionString;
    }

    @Bean
    MongoStoreDescription mongoStoreDescription(EmbeddedMongoProperties properties, MongoServer server,
            Environment env) {
        var address = server.getLocalAddress();
        Path dataFile = dataFile(properties, env);
        return new MongoStoreDescription("embedded-" + properties.backend().name().toLowerCase(),
                address.getHostString() + ":" + address.getPort(), databaseName(env),
                dataFile == null ? null : dataFile.toString());
    }
}
