package com.example.shop.store.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

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

import com.example.shop.store.MongoStoreAutoConfiguration;
import com.example.shop.store.MongoStoreDescription;

/**
 * Starts an in-process MongoDB wire-protocol server when no MongoDB address is configured, and hands
 * its address to Boot as {@link MongoConnectionDetails}: the application reaches it through the
 * ordinary reactive driver, exactly as it reaches a real MongoDB. A {@code @ServiceConnection}
 * (Testcontainers) or a configured URI makes this back off.
 * <p>
 * A local development default: the server listens on loopback and asks for no credential (mongo-java-server
 * has no authentication, and listens on TCP only, which the reactive driver needs anyway), so any process on
 * the machine can connect to its port and read everything. Its data file is its user's only
 * ({@link #createOwnerOnly}). A deployment sets {@code spring.mongodb.uri} ({@code MONGODB_URI}) to a MongoDB
 * with authentication and TLS.
 */
@AutoConfiguration(before = {MongoAutoConfiguration.class, MongoReactiveAutoConfiguration.class,
        MongoStoreAutoConfiguration.class})
@ConditionalOnClass(MongoServer.class)
@Conditional(NoMongoUriCondition.class)
@ConditionalOnMissingBean(MongoConnectionDetails.class)
@EnableConfigurationProperties(EmbeddedMongoProperties.class)
public class EmbeddedMongoAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMongoAutoConfiguration.class);

    static final Set<PosixFilePermission> OWNER_ONLY_FOLDER = PosixFilePermissions.fromString("rwx------");

    static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

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

    /**
     * Makes the data file readable and writable by this process's user only, before the backend opens it: it
     * holds every document, emails and password hashes included. A folder that does not exist yet is created
     * {@code rwx------} (an existing one is left as it is: it may be shared, {@code /tmp} say); the file is
     * created {@code rw-------}, and an existing one is set so (files of earlier versions were readable by
     * all). The MVStore opens an empty file as a new store. Where the file system has no POSIX permissions
     * (Windows), the folder is only created.
     */
    static void createOwnerOnly(Path dataFile) throws IOException {
        Path folder = dataFile.getParent();
        if (!folder.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectories(folder);
            return;
        }
        if (!Files.isDirectory(folder)) {
            Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FOLDER));
        }
        try {
            Files.createFile(dataFile, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
        }
        catch (FileAlreadyExistsException exists) {
            if (!Files.getPosixFilePermissions(dataFile).equals(OWNER_ONLY_FILE)) {
                Files.setPosixFilePermissions(dataFile, OWNER_ONLY_FILE);
                log.info("Store: the data file {} is now readable by its owner only", dataFile);
            }
        }
    }

    @Bean(destroyMethod = "shutdown")
    MongoServer embeddedMongoServer(EmbeddedMongoProperties properties, Environment env) {
        Path dataFile = dataFile(properties, env);
        MongoBackend backend;
        if (dataFile != null) {
            try {
                createOwnerOnly(dataFile);
            }
            catch (IOException e) {
                throw new UncheckedIOException("Cannot make the embedded store's data file " + dataFile
                        + " (and its folder) for this user only", e);
            }
            backend = new CommittingH2Backend(dataFile.toString());
        }
        else {
            backend = new IndexedMemoryBackend();
        }
        MongoServer server = new MongoServer(backend);
        server.bind(properties.host(), properties.port());
        var address = server.getLocalAddress();
        log.info("Store: embedded MongoDB wire-protocol server ({} backend{}) listening on {}:{}, database '{}'; "
                        + "no authentication, so anyone on this machine can read it: for development only (production "
                        + "sets MONGODB_URI)",
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
