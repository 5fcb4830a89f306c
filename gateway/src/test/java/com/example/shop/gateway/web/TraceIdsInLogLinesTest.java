package com.example.shop.gateway.web;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.WebFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lines the gateway logs for a failed request carry the request's trace id, though the trace context is copied
 * into thread locals only where asked ({@code spring.reactor.context-propagation: limited}): a fault of ours (500,
 * with its stack trace) and a 5xx answered for a backend. The failures are a test-only filter's, after the
 * request's observation has begun.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.cloud.loadbalancer.configurations=default")
@Import(TraceIdsInLogLinesTest.Failing.class)
@ExtendWith(OutputCaptureExtension.class)
class TraceIdsInLogLinesTest {

    static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

    @TestConfiguration(proxyBeanMethods = false)
    static class Failing {

        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        WebFilter failingFilter() {
            return (exchange, chain) -> switch (exchange.getRequest().getPath().value()) {
                case "/api/bug" -> Mono.delay(Duration.ofMillis(1))
                        .then(Mono.error(new IllegalStateException("a bug of the gateway's")));
                case "/api/unavailable" -> Mono.delay(Duration.ofMillis(1))
                        .then(Mono.error(new ResponseStatusException(HttpStatus.BAD_GATEWAY, "a backend failed")));
                default -> chain.filter(exchange);
            };
        }
    }

    @LocalServerPort
    int port;

    @Test
    void aFaultOfOursIsLoggedWithTheRequestsTraceId(CapturedOutput output) {
        get("/api/bug").expectStatus().isEqualTo(500);

        assertThat(lineOf(output, "GET /api/bug failed")).contains(TRACE_ID);
    }

    @Test
    void aBackendFailureIsLoggedWithTheRequestsTraceId(CapturedOutput output) {
        get("/api/unavailable").expectStatus().isEqualTo(502);

        assertThat(lineOf(output, "GET /api/unavailable -> 502: a backend failed")).contains(TRACE_ID);
    }

    /** The one line logged with {@code message}, as plain text or as JSON (a test before may have set ECS). */
    private static String lineOf(CapturedOutput output, String message) {
        return assertThat(output.getOut().lines().filter(line -> line.contains(message))).singleElement().actual();
    }

    private WebTestClient.ResponseSpec get(String path) {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build()
                .get().uri(path)
                .header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01")
                .exchange();
    }
}
