package com.example.shop.gateway.operate;

import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.example.shop.security.test.TestSecurity;

import static com.example.shop.gateway.BackendDocuments.id;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operations off the public port: the gateway's public port serves the API and its documents only, so no
 * caller, with a token or without, reaches an actuator operation there (issue 10, finding 1: a user's
 * token could force a circuit breaker open), and health details are not public (finding 9). The actuator is
 * on the management port, open there without a token (probes, scrapers) and read-only.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.cloud.loadbalancer.configurations=default"})
@ExtendWith(OutputCaptureExtension.class)
class ManagementPortTest {

    static final String FORCE_OPEN = "{\"updateState\":\"FORCE_OPEN\"}";

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    CircuitBreakerRegistry circuitBreakers;

    WebTestClient publicPort;

    WebTestClient management;

    @BeforeEach
    void setUp() {
        publicPort = client(port);
        management = client(managementPort);
        circuitBreakers.circuitBreaker("user-service").reset();
    }

    static WebTestClient client(int port) {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(10)).build();
    }

    static String userToken() {
        return "Bearer " + TestSecurity.userToken(id('a', 1));
    }

    @ParameterizedTest(name = "with a user token: {0}")
    @ValueSource(booleans = {false, true})
    void noCallerCanForceABreakerOpenThroughThePublicPort(boolean withToken) {
        publicPort.post().uri("/actuator/circuitbreakers/user-service")
                .headers(headers -> {
                    if (withToken) {
                        headers.set("Authorization", userToken());
                    }
                })
                .contentType(MediaType.APPLICATION_JSON).bodyValue(FORCE_OPEN)
                .exchange()
                .expectStatus().isNotFound();

        assertThat(circuitBreakers.circuitBreaker("user-service").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @ParameterizedTest(name = "with a user token: {0}")
    @ValueSource(booleans = {false, true})
    void thePublicPortHasNoActuatorAndNoHealthDetails(boolean withToken) {
        for (String path : new String[] {"/actuator", "/actuator/health", "/actuator/health/readiness",
                "/actuator/prometheus", "/actuator/circuitbreakers"}) {
            publicPort.get().uri(path)
                    .headers(headers -> {
                        if (withToken) {
                            headers.set("Authorization", userToken());
                        }
                    })
                    .exchange()
                    .expectStatus().isNotFound();
        }
    }

    @Test
    void theManagementPortServesProbesHealthDetailsAndMetricsWithoutAToken() {
        assertThat(managementPort).isNotEqualTo(port);
        management.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
        management.get().uri("/actuator/health").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.components.diskSpace.details").exists();
        management.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body).contains("resilience4j_circuitbreaker_state{"));
        management.get().uri("/actuator/circuitbreakers").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.circuitBreakers['user-service'].state").isEqualTo("CLOSED");
    }

    @ParameterizedTest(name = "with a user token: {0}")
    @ValueSource(booleans = {false, true})
    void everyActuatorEndpointIsReadOnlyEvenOnTheManagementPort(boolean withToken) {
        management.post().uri("/actuator/circuitbreakers/user-service")
                .headers(headers -> {
                    if (withToken) {
                        headers.set("Authorization", userToken());
                    }
                })
                .contentType(MediaType.APPLICATION_JSON).bodyValue(FORCE_OPEN)
                .exchange()
                .expectStatus().is4xxClientError();
        management.post().uri("/actuator/loggers/ROOT").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"configuredLevel\":\"OFF\"}")
                .exchange()
                .expectStatus().is4xxClientError();

        assertThat(circuitBreakers.circuitBreaker("user-service").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void theManagementPortServesTheActuatorOnly() {
        management.get().uri("/api/products").exchange().expectStatus().isNotFound();
        management.get().uri("/api/v3/api-docs").exchange().expectStatus().isNotFound();
        management.post().uri("/api/users").contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange().expectStatus().isNotFound();
    }

    @Test
    void theStartUpLogSaysWhereTheManagementPortIs(CapturedOutput output) {
        assertThat(output.getOut()).contains("Management (actuator, read-only): http://127.0.0.1:" + managementPort
                + "/actuator");
    }
}
