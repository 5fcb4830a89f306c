package com.example.shop.product;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
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
 * A cart cleanup that failed while user-service was down waits out its backoff, but not once user-service
 * answers again: each sweep (every second) tries the earliest waiting tombstone early, once, and when that
 * works, every waiting one is due at once.
 */
class CleanupResumesWithPeerTest {

    private final UserServiceStub userService = new UserServiceStub();

    private final String owner = new ObjectId().toHexString();

    private final String ownerToken = TestSecurity.userToken(owner);

    @AfterEach
    void stopUserService() {
        userService.stop();
    }

    @Test
    void whenUserServiceIsBackThenWaitingCleanupsFinishWithinSecondsNotAtTheirBackoff() {
        userService.userExists(owner);
        userService.cartCleanupDown();
        // the backoff has grown to its cap: after a failure, the next try is a minute away
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(ProductServiceApplication.class)
                .profiles("test")
                .run("--server.port=0",
                        "--shop.remote.user-service=" + userService.url(),
                        "--shop.cleanup.sweep-interval=1s",
                        "--shop.cleanup.initial-backoff=60s",
                        "--shop.cleanup.max-backoff=60s")) {
            WebTestClient web = WebTestClient.bindToServer()
                    .baseUrl("http://localhost:" + app.getEnvironment().getProperty("local.server.port"))
                    // the first requests of a JVM on a loaded machine (the reactor builds modules side by side)
                    .responseTimeout(Duration.ofSeconds(30))
                    .build();
            ReactiveMongoTemplate mongo = app.getBean(ReactiveMongoTemplate.class);
            String lamp = create(web, "Lamp");
            String desk = create(web, "Desk");
            for (String id : new String[] { lamp, desk }) {
                web.delete().uri("/products/{id}", id).headers(headers -> headers.setBearerAuth(ownerToken))
                        .exchange().expectStatus().isNoContent();
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(nextAttemptAt(mongo, lamp)).as("lamp's next try").isAfter(Instant.now().plusSeconds(30));
                assertThat(nextAttemptAt(mongo, desk)).as("desk's next try").isAfter(Instant.now().plusSeconds(30));
            });

            userService.cartCleanupWorks();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(document(mongo, lamp)).as("lamp's document after the cleanup").isNull();
                assertThat(document(mongo, desk)).as("desk's document after the cleanup").isNull();
            });
            assertThat(userService.cartCleanups(lamp)).as("lamp's cart cleanups").hasSizeGreaterThanOrEqualTo(2);
            assertThat(userService.cartCleanups(desk)).as("desk's cart cleanups").hasSizeGreaterThanOrEqualTo(2);
        }
    }

    private String create(WebTestClient web, String title) {
        return web.post().uri("/products").contentType(MediaType.APPLICATION_JSON)
                .headers(headers -> headers.setBearerAuth(ownerToken))
                .bodyValue(Map.of("title", title, "imageUrl", "https://img.example.com/x.png",
                        "price", new BigDecimal("19.99"), "description", "A " + title, "userId", owner))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(ProductResponse.class).returnResult().getResponseBody().id();
    }

    private static Document document(ReactiveMongoTemplate mongo, String id) {
        return mongo.findOne(Query.query(Criteria.where("_id").is(new ObjectId(id))), Document.class, "products").block();
    }

    private static Instant nextAttemptAt(ReactiveMongoTemplate mongo, String id) {
        Document deletion = document(mongo, id).get("deletion", Document.class);
        return deletion.getDate("nextAttemptAt").toInstant();
    }
}
