package com.example.shop.e2e;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;


import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two real user-service instances behind the gateway, sharing one store as instances do in production:
 * the first, the user-service the end-to-end classes share ({@link Services}), runs the embedded MongoDB
 * server on a known port, the second reaches it by {@code MONGODB_URI} (the way it would reach a real
 * MongoDB). Routed requests and populate lookups reach both; when the second instance stops, requests keep
 * succeeding through the first.
 */
@ExtendWith(Services.Shared.class)
class TwoUserServiceInstancesIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static ServiceProcess first;

    private static ServiceProcess second;

    private static ServiceProcess gatewayProcess;

    private static int port;

    @BeforeAll
    static void startServices(Services services) {
        first = services.users();
        second = ServiceProcess.start("user-service", ServiceProcess.freePort(), Map.of(
                "PRODUCT_SERVICE_URL", services.products().baseUrl(),
                "MONGODB_URI", services.storeUri()));
        String userUrls = first.baseUrl() + "," + second.baseUrl();
        // accounts sign up through the gateway, from one address: the per-address limit is raised for them
        gatewayProcess = ServiceProcess.startGateway(userUrls, services.products().baseUrl(),
                "--shop.gateway.sign-in-limit.capacity=1000",
                // the populate cache off: every lookup goes to the balancer
                "--shop.populate.cache.ttl=0");
        second.awaitReady(Duration.ofSeconds(120));
        gatewayProcess.awaitReady(Duration.ofSeconds(120));
        port = gatewayProcess.port();
    }

    /** Stops what this class started; the shared services stay up for the next class. */
    @AfterAll
    static void stopServices() {
        for (ServiceProcess process : new ServiceProcess[] {gatewayProcess, second}) {
            if (process != null) {
                process.stop();
            }
        }
    }

    @Test
    void trafficReachesBothInstancesAndSurvivesTheLossOfOne() {
        WebTestClient gateway = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(20)).build();
        Account ada = Account.signUp(gateway, "Ada");
        String lamp = id(gateway.post().uri("/api/products").headers(Account.as(ada)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"title\":\"Lamp\",\"imageUrl\":\"https://example.com/l.png\",\"price\":19.90,"
                        + "\"description\":\"A lamp\",\"userId\":\"" + ada.id() + "\"}")
                .exchange().expectStatus().isCreated().expectBody().returnResult().getResponseBody());

        long firstBefore = first.servedGets("/users/{id}");
        long secondBefore = second.servedGets("/users/{id}");
        long firstLookups = first.servedGets("/users");
        long secondLookups = second.servedGets("/users");
        // keep asking until both instances have answered: the gateway's load balancer only sends traffic to
        // an instance once its first readiness check has passed, which on a loaded machine can take a moment
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            getUserAndPopulatedProduct(gateway, ada, lamp);
            assertThat(first.servedGets("/users/{id}") - firstBefore).as("routed GETs on the first").isPositive();
            assertThat(second.servedGets("/users/{id}") - secondBefore).as("routed GETs on the second").isPositive();
            assertThat(first.servedGets("/users") - firstLookups).as("lookups on the first").isPositive();
            assertThat(second.servedGets("/users") - secondLookups).as("lookups on the second").isPositive();
        });

        second.stop();
        for (int i = 0; i < 10; i++) {
            getUserAndPopulatedProduct(gateway, ada, lamp);
        }
    }

    /**
     * All must succeed: the user routed to an instance, the product with its owner looked up on one. Two
     * of each in a row: routed requests and lookups share the round-robin balancer, so one of each in
     * turn would send all routed requests to one instance and all lookups to the other.
     */
    private static void getUserAndPopulatedProduct(WebTestClient gateway, Account user, String product) {
        for (int i = 0; i < 2; i++) {
            gateway.get().uri("/api/users/{id}", user.id()).headers(Account.as(user)).exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.name").isEqualTo("Ada");
        }
        for (int i = 0; i < 2; i++) {
            gateway.get().uri("/api/products/{id}?populate=userId", product).exchange().expectStatus().isOk()
                    .expectHeader().doesNotExist(ServiceProcess.UNRESOLVED_HEADER)
                    .expectBody().jsonPath("$.userId.name").isEqualTo("Ada");
        }
    }

    private static String id(byte[] body) {
        return JSON.readTree(body).get("id").stringValue();
    }
}
