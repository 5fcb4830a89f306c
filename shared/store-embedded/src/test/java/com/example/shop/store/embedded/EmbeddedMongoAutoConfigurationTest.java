package com.example.shop.store.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import de.bwaldvogel.mongo.MongoServer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.mongodb.autoconfigure.DataMongoReactiveAutoConfiguration;
import org.springframework.boot.mongodb.autoconfigure.MongoConnectionDetails;
import org.springframework.boot.mongodb.autoconfigure.MongoReactiveAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.shop.store.MongoStoreDescription;
import com.example.shop.store.MongoStoreAutoConfiguration;

class EmbeddedMongoAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withPropertyValues("spring.application.name=orders-service")
            .withConfiguration(AutoConfigurations.of(EmbeddedMongoAutoConfiguration.class,
                    MongoReactiveAutoConfiguration.class, DataMongoReactiveAutoConfiguration.class,
                    MongoStoreAutoConfiguration.class));

    @TempDir
    Path dataDir;

    @Test
    void withoutAUriTheEmbeddedServerStartsAndTheDriverReachesIt() {
        runner.withPropertyValues("shop.store.embedded.backend=memory").run(context -> {
            assertThat(context).hasSingleBean(MongoServer.class);
            var store = context.getBean(MongoStoreDescription.class);
            assertThat(store.kind()).isEqualTo("embedded-memory");
            assertThat(store.database()).isEqualTo("orders-service");
            assertThat(context.getBean(MongoConnectionDetails.class).getConnectionString().getHosts())
                    .containsExactly(store.address());
            ReactiveMongoTemplate template = context.getBean(ReactiveMongoTemplate.class);
            StepVerifier.create(template.executeCommand(new Document("ping", 1)))
                    .assertNext(reply -> assertThat(reply.get("ok")).isIn(1, 1.0))
                    .verifyComplete();
            assertThat(template.getMongoDatabase().block().getName()).isEqualTo("orders-service");
        });
    }

    @Test
    void theFileBackendWritesOneFilePerDatabaseUnderThePath() {
        runner.withPropertyValues("shop.store.embedded.backend=file", "shop.store.embedded.path=" + dataDir)
                .run(context -> {
                    var store = context.getBean(MongoStoreDescription.class);
                    assertThat(store.kind()).isEqualTo("embedded-file");
                    assertThat(store.location()).isEqualTo(dataDir.resolve("orders-service.mv").toString());
                    StepVerifier.create(context.getBean(ReactiveMongoTemplate.class)
                            .insert(new Document("x", 1), "things")).expectNextCount(1).verifyComplete();
                });
        assertThat(dataDir.resolve("orders-service.mv")).exists();
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void theDataFileAndAFolderItCreatesAreReadableByTheirOwnerOnly() throws Exception {
        Path folder = dataDir.resolve("new/data");
        runner.withPropertyValues("shop.store.embedded.backend=file", "shop.store.embedded.path=" + folder)
                .run(context -> StepVerifier.create(context.getBean(ReactiveMongoTemplate.class)
                        .insert(new Document("email", "ada@example.com"), "users")).expectNextCount(1).verifyComplete());
        assertThat(permissions(folder)).isEqualTo("rwx------");
        assertThat(permissions(folder.getParent())).isEqualTo("rwx------");
        assertThat(permissions(folder.resolve("orders-service.mv"))).isEqualTo("rw-------");
        // and what it wrote is there at the next start
        runner.withPropertyValues("shop.store.embedded.backend=file", "shop.store.embedded.path=" + folder)
                .run(context -> StepVerifier.create(context.getBean(ReactiveMongoTemplate.class).count(new Query(), "users"))
                        .expectNext(1L).verifyComplete());
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void aDataFileReadableByOthersIsMadeTheOwnersOnlyAndAnExistingFolderIsLeftAsItIs() throws Exception {
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path file = Files.createFile(dataDir.resolve("orders-service.mv"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        runner.withPropertyValues("shop.store.embedded.backend=file", "shop.store.embedded.path=" + dataDir)
                .run(context -> assertThat(context).hasNotFailed());
        assertThat(permissions(file)).isEqualTo("rw-------");
        assertThat(permissions(dataDir)).isEqualTo("rwxr-xr-x");
    }

    private static String permissions(Path path) throws java.io.IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void aConfiguredUriTurnsTheEmbeddedServerOff() {
        runner.withPropertyValues("spring.mongodb.uri=mongodb://db.example:27017/shop").run(context -> {
            assertThat(context).doesNotHaveBean(MongoServer.class);
            var store = context.getBean(MongoStoreDescription.class);
            assertThat(store.kind()).isEqualTo("mongodb");
            assertThat(store.address()).isEqualTo("db.example:27017");
            assertThat(store.database()).isEqualTo("shop");
        });
    }

    @Test
    void providedConnectionDetailsTurnTheEmbeddedServerOff() {
        runner.withBean(MongoConnectionDetails.class,
                        () -> () -> new com.mongodb.ConnectionString("mongodb://container:1234/test"))
                .run(context -> {
                    assertThat(context).doesNotHaveBean(MongoServer.class);
                    assertThat(context.getBean(MongoStoreDescription.class).kind()).isEqualTo("mongodb");
                });
    }
}
