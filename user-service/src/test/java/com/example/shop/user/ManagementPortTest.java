package com.example.shop.user;

import java.util.Map;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.example.shop.security.test.TestSecurity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operations off the public port (issue 10, finding 1: on a service's port a user's token could disable a
 * circuit breaker; finding 9: health details were public): the public port serves the API and its
 * documents only; the actuator is on the management port, open there without a token and read-only.
 * <p>
 * A context of its own (the property only sets it apart), started when this class runs: other tests of
 * this JVM start and stop whole applications, and a stopping application disposes Reactor Netty's global
 * resources, which takes down the management server of a context started before it (its main server
 * keeps running).
 */
@TestPropertySource(properties = "shop.management.port-offset=1000")
class ManagementPortTest extends ApiTestSupport {

    @Test
    void noCallerCanChangeABreakerThroughThePublicPort() {
        for (WebTestClient caller : new WebTestClient[] {as(new ObjectId().toHexString()), web}) {
            for (String state : new String[] {"DISABLE", "FORCE_OPEN"}) {
                caller.post().uri("/actuator/circuitbreakers/product-service").contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{\"updateState\":\"" + state + "\"}")
                        .exchange()
                        .expectStatus().isNotFound();
            }
        }
        assertThat(circuitBreakers.circuitBreaker("product-service").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void thePublicPortHasNoActuatorAndNoHealthDetails() {
        for (WebTestClient caller : new WebTestClient[] {as(new ObjectId().toHexString()), web}) {
            for (String path : new String[] {"/actuator", "/actuator/health", "/actuator/health/readiness",
                    "/actuator/prometheus", "/actuator/circuitbreakers"}) {
                caller.get().uri(path).exchange().expectStatus().isNotFound();
            }
        }
    }

    @Test
    void theManagementPortServesHealthWithDetailsWithoutAToken() {
        management().get().uri("/actuator/health/readiness").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
        management().get().uri("/actuator/health").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.components.mongo.status").isEqualTo("UP");
    }

    @Test
    void everyActuatorEndpointIsReadOnlyEvenOnTheManagementPort() {
        String token = "Bearer " + TestSecurity.userToken(new ObjectId().toHexString());
        for (WebTestClient caller : new WebTestClient[] {management(),
                management().mutate().defaultHeader(HttpHeaders.AUTHORIZATION, token).build()}) {
            for (String state : new String[] {"DISABLE", "FORCE_OPEN"}) {
                caller.post().uri("/actuator/circuitbreakers/product-service").contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{\"updateState\":\"" + state + "\"}")
                        .exchange()
                        .expectStatus().is4xxClientError();
            }
        }
        management().get().uri("/actuator/circuitbreakers").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.circuitBreakers['product-service'].state").isEqualTo("CLOSED");
        assertThat(circuitBreakers.circuitBreaker("product-service").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void theManagementPortServesTheActuatorOnly() {
        String someone = new ObjectId().toHexString();
        management().mutate().defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + TestSecurity.userToken(someone)).build()
                .get().uri("/users/{id}", someone).exchange().expectStatus().isNotFound();
        management().get().uri("/v3/api-docs").exchange().expectStatus().isNotFound();
        management().post().uri("/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Eve", "email", "eve@example.com", "password", PASSWORD))
                .exchange().expectStatus().isNotFound();
    }
}
