package com.example.shop.gateway.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.reactor.netty.autoconfigure.NettyServerProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.example.shop.gateway.BackendDocuments;
import com.example.shop.testing.WireMockBackend;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the gateway refuses itself, before anything reaches a backend: a body over the limit (413, by its
 * declared length or by counting a streamed body), a request line or header fields too long for it (414,
 * 431), each as problem+json. A refused body is never a 503 and never a backend failure.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.cloud.loadbalancer.configurations=default"})
class RequestLimitsTest {

    @RegisterExtension
    static final WireMockBackend USERS = WireMockBackend.onFreePort();

    static final int LIMIT = 64 * 1024;

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        BackendDocuments.backends(registry, USERS, USERS);
    }

    @LocalServerPort
    int port;

    @Autowired
    CircuitBreakerRegistry circuitBreakers;

    @Autowired
    NettyServerProperties netty;

    @Autowired
    RequestLimitsProperties requestLimits;

    @Autowired
    BodyBudget bodyBudget;

    WebTestClient client;

    @BeforeEach
    void setUp() {
        client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(20))
                .build();
        USERS.stubFor(any(anyUrl()).willReturn(okJson("{}")));
    }

    private static String signUpOf(int size) {
        String prefix = "{\"name\":\"";
        String suffix = "\",\"email\":\"big@example.com\",\"password\":\"pw-123456789\"}";
        return prefix + "x".repeat(size - prefix.length() - suffix.length()) + suffix;
    }

    private static Flux<DataBuffer> streamed(String body, int chunk) {
        byte[] bytes = body.getBytes();
        return Flux.range(0, (bytes.length + chunk - 1) / chunk)
                .map(i -> DefaultDataBufferFactory.sharedInstance.wrap(
                        Arrays.copyOfRange(bytes, i * chunk, Math.min(bytes.length, (i + 1) * chunk))));
    }

    private void expectNothingRoutedAndNoFailureCounted() {
        assertThat(USERS.findAll(anyRequestedFor(anyUrl()))).as("requests the backend received").isEmpty();
        assertThat(circuitBreakers.circuitBreaker("user-service").getMetrics().getNumberOfFailedCalls()).isZero();
    }

    @ParameterizedTest(name = "a body of {0} bytes with its Content-Length")
    @ValueSource(ints = {LIMIT + 1, 70 * 1024})
    void aDeclaredBodyOverTheLimitIs413AndNeverRouted(int size) {
        client.post().uri("/api/users").contentType(MediaType.APPLICATION_JSON).bodyValue(signUpOf(size))
                .exchange()
                .expectStatus().isEqualTo(413)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(413)
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains(Integer.toString(LIMIT)));

        expectNothingRoutedAndNoFailureCounted();
    }

    @ParameterizedTest(name = "a streamed body of {0} bytes")
    @ValueSource(ints = {LIMIT + 1, 70 * 1024})
    void aStreamedBodyOverTheLimitIs413AndNeverRouted(int size) {
        client.post().uri("/api/users").contentType(MediaType.APPLICATION_JSON)
                .body(streamed(signUpOf(size), 8 * 1024), DataBuffer.class)
                .exchange()
                .expectStatus().isEqualTo(413)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(413)
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains(Integer.toString(LIMIT)));

        expectNothingRoutedAndNoFailureCounted();
    }

    @Test
    void aStreamedBodyWithinTheLimitReachesTheBackendWhole() {
        String body = signUpOf(LIMIT);

        client.post().uri("/api/users").contentType(MediaType.APPLICATION_JSON)
                .body(streamed(body, 8 * 1024), DataBuffer.class)
                .exchange()
                .expectStatus().isOk();

        assertThat(USERS.findAll(anyRequestedFor(urlPathEqualTo("/users")))).singleElement()
                .satisfies(forwarded -> assertThat(forwarded.getBodyAsString()).isEqualTo(body));
    }

    /**
     * 10 MB, declared or streamed, from a plain client: the answer comes before the rest of the body is
     * read, and the connection is closed after it. A client that reads its answer while still sending, as
     * the JDK's does, usually gets the 413; but the close races with the client's writing, and when the
     * reset wins the client sees the connection reset instead (as one that reads only once it has sent
     * everything always does). Either way nothing reaches the backend and nothing counts against it.
     */
    @ParameterizedTest(name = "10 MB, its length declared: {0}")
    @ValueSource(booleans = {true, false})
    void tenMegabytesGetThe413OrTheConnectionClosedAndNothingIsRouted(boolean declared) throws Exception {
        byte[] body = signUpOf(10 * 1024 * 1024).getBytes();
        HttpRequest.BodyPublisher publisher = declared ? HttpRequest.BodyPublishers.ofByteArray(body)
                : HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<String> response;
        try {
            response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/users"))
                            .header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE).POST(publisher).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        catch (java.io.IOException closedWhileSending) {
            assertThat(closedWhileSending).hasRootCauseInstanceOf(java.io.IOException.class);
            response = null;
        }

        if (response != null) {
            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(response.headers().firstValue(HttpHeaders.CONTENT_TYPE)).hasValue(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            assertThat(response.body()).contains("\"status\":413");
        }
        expectNothingRoutedAndNoFailureCounted();
    }

    /**
     * A kept-alive connection is not kept for ever, a request's head and body have a time limit, and the bodies
     * held at once a budget ({@link RequestDeadlinesTest} shows each at work, with short limits).
     */
    @Test
    void timeLimitsAndTheBodyBudgetAreOnByDefault() {
        assertThat(netty.getIdleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(requestLimits.headerTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(requestLimits.bodyTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(bodyBudget.capacity()).isEqualTo(8 * 1024 * 1024);
    }

    @ParameterizedTest(name = "a URI of {0} characters")
    @ValueSource(ints = {5_000, 100_000, 2_000_000})
    void aRequestLineTooLongIs414ProblemJson(int length) {
        String uri = "http://localhost:" + port + "/api/products?q=" + "q".repeat(length);

        client.get().uri(URI.create(uri)).exchange()
                .expectStatus().isEqualTo(414)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(414)
                .jsonPath("$.title").isEqualTo("URI Too Long");

        assertThat(USERS.findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @ParameterizedTest(name = "a header of {0} characters")
    @ValueSource(ints = {10_000, 1_000_000})
    void headerFieldsTooLargeAre431ProblemJson(int length) {
        client.get().uri("/api/products").header("X-Big", "b".repeat(length)).exchange()
                .expectStatus().isEqualTo(431)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(431)
                .jsonPath("$.title").isEqualTo("Request Header Fields Too Large");

        assertThat(USERS.findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }
}
