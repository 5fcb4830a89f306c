package com.example.shop.gateway.routing;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import com.example.shop.security.test.TestSecurity;
import com.example.shop.gateway.BackendDocuments;
import com.example.shop.gateway.web.AnswerMemory;
import com.example.shop.testing.WireMockBackend;

import static com.example.shop.gateway.BackendDocuments.id;
import static com.example.shop.gateway.BackendDocuments.user;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The budgets of populated answers through the gateway, with WireMock as the services and budgets small enough
 * to meet with a few documents of 10 KB: an answer's documents foreseen from the plan (a 400 before any backend
 * call), its memory counted as the work goes (a 400 when a lookup brings too much), the memory of all answers in
 * flight (a 503 with {@code Retry-After} while another answer holds it; a plain GET goes out untagged instead),
 * a write's answer over its budget (the document as written, under the write's status, its paths unresolved),
 * and every reservation given back, whatever became of its request.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "shop.populate.max-documents=1000",
        "shop.populate.max-answer-memory=64KB",
        "shop.gateway.answer-memory.max-size=80KB",
        "shop.gateway.answer-memory.retry-after=2s",
        "shop.populate.budget=8s",
        "shop.populate.cache.ttl=0",
        "resilience4j.timelimiter.instances.user-service.timeout-duration=8s",
        "resilience4j.timelimiter.instances.product-service.timeout-duration=8s",
        "spring.cloud.loadbalancer.configurations=default"})
class AnswerBudgetHttpTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String OWNER = id('a', 1);

    @RegisterExtension
    static final WireMockBackend USERS = WireMockBackend.onFreePort();

    @RegisterExtension
    static final WireMockBackend PRODUCTS = WireMockBackend.onFreePort();

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        BackendDocuments.backends(registry, USERS, PRODUCTS);
    }

    @LocalServerPort
    int port;

    @Autowired
    AnswerMemory memory;

    @Autowired
    MeterRegistry registry;

    WebTestClient client;

    @BeforeEach
    void setUp() {
        client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(20)).build();
    }

    /** Whatever a test did, its answers have given back every byte they reserved. */
    @AfterEach
    void everyReservationIsGivenBack() {
        await("the memory of answers in flight back to zero").atMost(Duration.ofSeconds(10))
                .until(() -> memory.used() == 0);
        assertThat(registry.get("gateway.answer.memory.used").gauge().value()).isZero();
    }

    /** Product {@code n} of user 1, with a description of {@code size} characters. */
    private static String product(int n, int size) {
        return "{\"id\":\"" + id('b', n) + "\",\"title\":\"product " + n + "\",\"price\":19.90,\"description\":\""
                + "d".repeat(size) + "\",\"userId\":\"" + OWNER + "\"}";
    }

    private static String page(int products, int size) {
        return "{\"content\":" + BackendDocuments.array(IntStream.range(0, products), n -> product(n, size))
                + ",\"page\":{\"size\":" + products + ",\"number\":0,\"totalElements\":" + products + ",\"totalPages\":1}}";
    }

    private static JsonNode problem(EntityExchangeResult<byte[]> result) {
        return JSON.readTree(result.getResponseBody());
    }

    private double counter(String name, String... tags) {
        return registry.find(name).tags(tags).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Test
    void aRequestThatCouldBringMoreDocumentsThanAnAnswerHoldsIsRefusedBeforeAnyBackendIsCalled() {
        EntityExchangeResult<byte[]> result = client.get().uri("/api/products?size=100&populate=userId.products")
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().returnResult();

        JsonNode problem = problem(result);
        assertThat(problem.get("errors").get(0).get("field").stringValue()).isEqualTo("populate");
        assertThat(problem.get("limit").stringValue()).isEqualTo("documents");
        assertThat(problem.get("max").asLong()).isEqualTo(1000);
        assertThat(problem.get("worstCase").asLong()).isEqualTo(100 + 100 * 100);
        assertThat(problem.get("detail").stringValue()).contains("size=9 or less", "[limit=...] on userId.products");
        assertThat(PRODUCTS.getAllServeEvents()).isEmpty();
        assertThat(USERS.getAllServeEvents()).isEmpty();
        assertThat(counter("gateway.populate.over.budget", "when", "foreseen", "limit", "documents")).isEqualTo(1);
    }

    @Test
    void aLookupBringingMoreThanTheAnswerMayHoldEndsItWithTheSame400AndNothingOfTheAnswer() {
        double overBefore = counter("gateway.populate.over.budget", "when", "counted", "limit", "bytes");
        PRODUCTS.stubFor(get(urlPathEqualTo("/products/" + id('b', 0))).willReturn(okJson(product(0, 10))));
        USERS.stubFor(get(urlPathEqualTo("/users")).willReturn(okJson("[" + user(1) + "]")));
        // the owner's 10 products of 10 KB: 100 KB, over the 64 KB an answer may hold
        PRODUCTS.stubFor(get(urlPathEqualTo("/products/owned")).willReturn(okJson("[{\"userId\":\"" + OWNER
                + "\",\"products\":" + BackendDocuments.array(IntStream.range(0, 10), n -> product(n, 10_000)) + "}]")));

        EntityExchangeResult<byte[]> result = client.get().uri("/api/products/" + id('b', 0) + "?populate=userId.products")
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().doesNotExist(HttpHeaders.ETAG)
                .expectBody().returnResult();

        JsonNode problem = problem(result);
        assertThat(problem.get("errors").get(0).get("field").stringValue()).isEqualTo("populate");
        assertThat(problem.get("limit").stringValue()).isEqualTo("bytes");
        assertThat(problem.get("max").asLong()).isEqualTo(64 * 1024);
        assertThat(problem.get("counted").asLong()).isGreaterThan(64 * 1024);
        assertThat(problem.has("userId")).as("nothing of the answer").isFalse();
        assertThat(counter("gateway.populate.over.budget", "when", "counted", "limit", "bytes")).isEqualTo(overBefore + 1);
    }

    @Test
    void aWritesAnswerOverTheBudgetGoesOutAsWrittenUnderTheWritesStatusWithItsPathsUnresolved() {
        double overBefore = counter("gateway.populate.over.budget", "when", "counted", "limit", "bytes");
        String written = product(0, 10);
        PRODUCTS.stubFor(patch(urlPathEqualTo("/products/" + id('b', 0))).willReturn(okJson(written)));
        USERS.stubFor(get(urlPathEqualTo("/users")).willReturn(okJson("[" + user(1) + "]")));
        PRODUCTS.stubFor(get(urlPathEqualTo("/products/owned")).willReturn(okJson("[{\"userId\":\"" + OWNER
                + "\",\"products\":" + BackendDocuments.array(IntStream.range(0, 10), n -> product(n, 10_000)) + "}]")));

        EntityExchangeResult<byte[]> result = client.patch().uri("/api/products/" + id('b', 0) + "?populate=userId.products")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestSecurity.userToken(OWNER))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"price\":19.90}")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(PopulateGatewayFilterFactory.UNRESOLVED_HEADER, "userId, userId.products")
                .expectBody().returnResult();

        assertThat(JSON.readTree(result.getResponseBody())).isEqualTo(JSON.readTree(written));
        assertThat(PRODUCTS.findAll(patchRequestedFor(urlPathEqualTo("/products/" + id('b', 0))))).hasSize(1);
        assertThat(counter("gateway.populate.over.budget", "when", "counted", "limit", "bytes")).isEqualTo(overBefore + 1);
    }

    @Test
    void whileAnotherAnswerHoldsTheMemoryOfAnswersInFlightAPopulatedRequestIs503WithRetryAfter() {
        // a page of 4 products of 10 KB, whose owner's lookup takes a while: the first answer holds ~45 KB meanwhile
        PRODUCTS.stubFor(get(urlPathEqualTo("/products")).willReturn(okJson(page(4, 10_000))));
        USERS.stubFor(get(urlPathEqualTo("/users")).willReturn(okJson("[" + user(1) + "]").withFixedDelay(1500)));
        CompletableFuture<Integer> first = WebClient.create("http://localhost:" + port).get()
                .uri("/api/products?populate=userId")
                .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value()))
                .toFuture();
        await().atMost(Duration.ofSeconds(10)).until(() -> memory.used() > 40_000);

        EntityExchangeResult<byte[]> refused = client.get().uri("/api/products?populate=userId")
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "2")
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().returnResult();

        assertThat(problem(refused).get("budget").stringValue()).isEqualTo("shop.gateway.answer-memory.max-size");
        assertThat(problem(refused).get("detail").stringValue()).contains("populate");
        assertThat(first.join()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> memory.used() == 0);
        client.get().uri("/api/products?populate=userId").exchange().expectStatus().isOk();
        assertThat(counter("gateway.answer.memory.refusals", "by", "populate")).isEqualTo(1);
    }

    @Test
    void aPlainAnswerTheMemoryCannotHoldGoesOutWholeAndUntaggedWhileASmallOneIsTagged() {
        String large = page(9, 10_000);
        PRODUCTS.stubFor(get(urlPathEqualTo("/products")).willReturn(okJson(large)));

        // as it is: a gzipped answer of 90 KB of one letter would be small enough to hold
        EntityExchangeResult<byte[]> untagged = client.get().uri("/api/products")
                .header(HttpHeaders.ACCEPT_ENCODING, "identity").exchange()
                .expectStatus().isOk()
                .expectHeader().doesNotExist(HttpHeaders.ETAG)
                .expectBody().returnResult();
        PRODUCTS.stubFor(get(urlPathEqualTo("/products")).willReturn(okJson(page(1, 10))));
        client.get().uri("/api/products").exchange().expectStatus().isOk().expectHeader().exists(HttpHeaders.ETAG);

        assertThat(new String(untagged.getResponseBody())).isEqualTo(large);
        assertThat(counter("gateway.answer.memory.refusals", "by", "conditional-get")).isEqualTo(1);
    }

    @Test
    void aCancelledRequestGivesItsReservationBack() {
        PRODUCTS.stubFor(get(urlPathEqualTo("/products")).willReturn(okJson(page(2, 10_000))));
        USERS.stubFor(get(urlPathEqualTo("/users")).willReturn(okJson("[" + user(1) + "]").withFixedDelay(5000)));
        Disposable request = WebClient.create("http://localhost:" + port).get().uri("/api/products?populate=userId")
                .retrieve().toBodilessEntity().subscribe();
        await().atMost(Duration.ofSeconds(10)).until(() -> memory.used() > 20_000);

        request.dispose();

        await("the reservation given back on cancel").atMost(Duration.ofSeconds(3)).until(() -> memory.used() == 0);
    }

    @Test
    void aFailedPopulateGivesItsReservationBack() {
        PRODUCTS.stubFor(get(urlPathEqualTo("/products")).willReturn(okJson(page(2, 10_000))));
        USERS.stubFor(get(urlPathEqualTo("/users")).willReturn(aResponse().withStatus(500)));

        client.get().uri("/api/products?populate=userId").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(PopulateGatewayFilterFactory.UNRESOLVED_HEADER, "userId");
        // and a backend answer that is not JSON, passed on as it came
        PRODUCTS.stubFor(get(urlPathEqualTo("/products")).willReturn(aResponse().withStatus(200)
                .withHeader(HttpHeaders.CONTENT_TYPE, "application/json").withBody("{not json")));
        client.get().uri("/api/products?populate=userId").exchange().expectStatus().isOk();
    }
}
