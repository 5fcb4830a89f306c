package com.example.shop.product;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.example.shop.security.test.TestSecurity;
import com.example.shop.product.product.web.ProductResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cart cleanup owed for a deleted product is kept in the store, not in memory: an instance that
 * stops before user-service confirms leaves the tombstone, and the next instance finishes the work in
 * its start-up sweep. Runs the application twice on the same file store.
 */
class CleanupSurvivesRestartTest {

    private final UserServiceStub userService = new UserServiceStub();

    private final String owner = new ObjectId().toHexString();

    private final String ownerToken = TestSecurity.userToken(owner);

    @TempDir
    Path data;

    @AfterEach
    void stopUserService() {
        userService.stop();
    }

    @Test
    void aCleanupLeftPendingByAStoppedInstanceIsFinishedByTheNextOneAtStartUp() {
        userService.userExists(owner);
        userService.cartCleanupDown();
        String id;
        try (ConfigurableApplicationContext first = start(Clock.systemUTC(), "100ms")) {
            WebTestClient web = client(first);
            id = web.post().uri("/products").contentType(MediaType.APPLICATION_JSON)
                    .headers(headers -> headers.setBearerAuth(ownerToken))
                    .bodyValue(Map.of("title", "Lamp", "imageUrl", "https://img.example.com/lamp.png",
                            "price", new BigDecimal("19.99"), "description", "A desk lamp", "userId", owner))
                    .exchange()
                    .expectStatus().isCreated()
                    .expectBody(ProductResponse.class).returnResult().getResponseBody().id();
            web.delete().uri("/products/{id}", id).headers(headers -> headers.setBearerAuth(ownerToken))
                    .exchange().expectStatus().isNoContent();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(userService.cartCleanups(id)).as("attempts while user-service is down").isNotEmpty());
        }
        int callsBeforeRestart = userService.cartCleanups(id).size();
        userService.cartCleanupWorks();

        // A sweep interval of an hour, and a clock an hour ahead so that any lease the first instance
        // held has ended: only the sweep at start-up can do the work.
        Clock anHourLater = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));
        try (ConfigurableApplicationContext second = start(anHourLater, "1h")) {
            ReactiveMongoTemplate mongo = second.getBean(ReactiveMongoTemplate.class);
            client(second).get().uri("/products/{id}", id).exchange().expectStatus().isNotFound();
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(mongo.findOne(Query.query(Criteria.where("_id").is(new ObjectId(id))), Document.class,
                            "products").block()).as("product document after the cleanup").isNull());
        }
        assertThat(userService.cartCleanups(id)).hasSizeGreaterThan(callsBeforeRestart)
                .as("each instance calls with its own service token, the second one included")
                .allSatisfy(UserServiceStub::serviceTokenOf);
    }

    private ConfigurableApplicationContext start(Clock clock, String sweepInterval) {
        return new SpringApplicationBuilder(ProductServiceApplication.class)
                .profiles("test")
                .initializers(context -> ((GenericApplicationContext) context).registerBean("testClock", Clock.class,
                        () -> clock, definition -> definition.setPrimary(true)))
                .run("--server.port=0",
                        "--shop.store.embedded.backend=file",
                        "--shop.store.embedded.path=" + data,
                        "--shop.remote.user-service=" + userService.url(),
                        "--shop.cleanup.sweep-interval=" + sweepInterval);
    }

    private static WebTestClient client(ConfigurableApplicationContext context) {
        return WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + context.getEnvironment().getProperty("local.server.port"))
                // the first requests of a JVM on a loaded machine (the reactor builds modules side by side)
                .responseTimeout(Duration.ofSeconds(30))
                .build();
    }
}
