package com.example.shop.store.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import de.bwaldvogel.mongo.MongoServer;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A process holding nothing but the embedded store, as the services configure it, for tests that kill it:
 * it writes the store's port to the file named by {@code --port-file} and runs until it is stopped.
 */
@SpringBootConfiguration
@ImportAutoConfiguration(EmbeddedMongoAutoConfiguration.class)
public class FileStoreProcess {

    public static void main(String[] args) throws IOException {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(FileStoreProcess.class)
                .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF).run(args);
        Path portFile = Path.of(context.getEnvironment().getRequiredProperty("port-file"));
        Path written = Files.writeString(portFile.resolveSibling(portFile.getFileName() + ".tmp"),
                Integer.toString(context.getBean(MongoServer.class).getLocalAddress().getPort()));
        Files.move(written, portFile, StandardCopyOption.ATOMIC_MOVE);
        // the server's threads keep the process running
    }
}
