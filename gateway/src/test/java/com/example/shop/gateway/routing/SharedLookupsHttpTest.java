package com.example.shop.gateway.routing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

import com.example.shop.security.test.TestSecurity;
import com.example.shop.gateway.BackendDocuments;
import com.example.shop.gateway.web.AnswerMemory;
import com.example.shop.testing.WireMockBackend;

import static com.example.shop.gateway.BackendDocuments.id;
import static com.example.shop.gateway.BackendDocuments.product;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Lookups in flight shared between requests, through the gateway, with WireMock as the services: user-service holds
 * its answers to the owners' lookup until the test releases them ({@link HeldResponses}), so the test knows which
 * requests were waiting at once (the gateway's count of shared lookups, or the requests that reached WireMock). The
 * same populated page asked by several callers at once makes one lookup; callers who see users differently never
 * share one; an error reaches every sharer; a sharer that goes away leaves the call to the others. With the setting
 * off: {@link UnsharedLookupsHttpTest}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // every lookup reaches the backend, to be counted
        "shop.populate.cache.ttl=0",
        // the held answers wait for the test, which a slow machine may make take seconds
        "shop.populate.budget=15s",
        "shop.backends.route-timeout=20s",
        "resilience4j.timelimiter.instances.user-service.timeout-duration=15s",
        // one attempt per lookup: the requests WireMock sees are the gateway's calls
        "resilience4j.retry.instances.user-service.max-attempts=1",
        "spring.cloud.loadbalancer.configurations=default"})
class SharedLookupsHttpTest {

    static final HeldResponses HELD = new HeldResponses();

    @RegisterExtension
    static final WireMockBackend USERS = WireMockBackend.onFreePort(HELD);

    @RegisterExtension
    static final WireMockBackend PRODUCTS = WireMockBackend.onFreePort();

    /** One token per user for the class: two tokens of one user made a second apart differ. */
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    static final String PAGE = "/api/products?populate=userId";

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        BackendDocuments.backends(registry, USERS, PRODUCTS);
    }

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry registry;

    @Autowired
    AnswerMemory memory;

    static String token(String userId) {
        return TOKENS.computeIfAbsent(userId, TestSecurity::userToken);
    }

    /** A page of three products of user 1, and user 1 as user-service answers its lookup (held), as in the cache's test. */
    static void pageOfUserOnesProducts(WireMockBackend products, WireMockBackend users) {
        products.stubFor(get(urlPathEqualTo("/products")).willReturn(okJson("{\"content\":"
                + BackendDocuments.array(IntStream.range(0, 3), n -> product(n, 1))
                + ",\"page\":{\"size\":20,\"number\":0,\"totalElements\":3,\"totalPages\":1}}")));
        // to user 1 itself whole, to anyone else the public view
        users.stubFor(get(urlPathEqualTo("/users")).withQueryParam("ids", equalTo(id('a', 1)))
                .willReturn(okJson("[{\"id\":\"" + id('a', 1) + "\",\"name\":\"user 1\"}]")
                        .withTransformers(HeldResponses.NAME)));
        users.stubFor(get(urlPathEqualTo("/users")).withQueryParam("ids", equalTo(id('a', 1)))
                .withHeader(HttpHeaders.AUTHORIZATION, equalTo("Bearer " + token(id('a', 1))))
                .atPriority(1)
                .willReturn(okJson("[{\"id\":\"" + id('a', 1) + "\",\"name\":\"user 1\",\"email\":\"u1@example.com\"}]")
                        .withTransformers(HeldResponses.NAME)));
    }

    /** The page as {@code userId} asks for it (anonymous when null), on its way. */
    static CompletableFuture<ResponseEntity<String>> page(int port, String userId) {
        return WebClient.create("http://localhost:" + port).get().uri(PAGE)
                .headers(headers -> {
                    if (userId != null) {
                        headers.setBearerAuth(token(userId));
                    }
                })
                .retrieve().toEntity(String.class).toFuture();
    }

    static ResponseEntity<String> answer(CompletableFuture<ResponseEntity<String>> request) {
        return request.orTimeout(30, TimeUnit.SECONDS).join();
    }

    private double counted(String name) {
        Counter counter = registry.find(name).tag("target", "user").counter();
        return counter == null ? 0 : counter.count();
    }

    private double shared() {
        return counted("gateway.populate.shared.lookups");
    }

    @BeforeEach
    void hold() {
        pageOfUserOnesProducts(PRODUCTS, USERS);
        HELD.hold();
    }

    @AfterEach
    void release() {
        HELD.release();
    }

    @Test
    void theSamePopulatedPageAskedByFourAtOnceMakesOneLookup() {
        double sharedBefore = shared();
        double sentBefore = counted("gateway.populate.batches");
        List<CompletableFuture<ResponseEntity<String>>> requests = IntStream.range(0, 4)
                .mapToObj(n -> page(port, null)).toList();

        await("three lookups joining the first").atMost(Duration.ofSeconds(15)).until(() -> shared() == sharedBefore + 3);
        HELD.release();

        List<ResponseEntity<String>> answers = requests.stream().map(SharedLookupsHttpTest::answer).toList();
        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.getStatusCode().value()).isEqualTo(200);
            assertThat(answer.getHeaders().containsHeader(PopulateGatewayFilterFactory.UNRESOLVED_HEADER)).isFalse();
            assertThat(answer.getBody()).contains("\"userId\":{\"id\":\"" + id('a', 1) + "\",\"name\":\"user 1\"}");
        });
        assertThat(answers).extracting(ResponseEntity::getBody).containsOnly(answers.get(0).getBody());
        assertThat(HELD.arrived()).isEqualTo(1);
        assertThat(USERS.findAll(getRequestedFor(urlPathEqualTo("/users")))).hasSize(1);
        assertThat(PRODUCTS.findAll(getRequestedFor(urlPathEqualTo("/products")))).as("each its own page").hasSize(4);
        assertThat(counted("gateway.populate.batches")).as("the lookups sent").isEqualTo(sentBefore + 1);
    }

    @Test
    void callersWhoSeeAUserDifferentlyNeverShareItsLookup() {
        double sharedBefore = shared();
        CompletableFuture<ResponseEntity<String>> own = page(port, id('a', 1));
        CompletableFuture<ResponseEntity<String>> other = page(port, id('a', 2));
        CompletableFuture<ResponseEntity<String>> otherAgain = page(port, id('a', 2));
        CompletableFuture<ResponseEntity<String>> anonymous = page(port, null);

        // at the backend at once, so none of them waited for another's; user 2's second request joined its first
        await().atMost(Duration.ofSeconds(15)).until(() -> HELD.arrived() == 3 && shared() == sharedBefore + 1);
        HELD.release();

        assertThat(answer(own).getBody()).contains("\"email\":\"u1@example.com\"");
        assertThat(List.of(answer(other), answer(otherAgain), answer(anonymous))).allSatisfy(answer -> {
            assertThat(answer.getBody()).contains("\"name\":\"user 1\"").doesNotContain("email");
            assertThat(answer.getHeaders().containsHeader(PopulateGatewayFilterFactory.UNRESOLVED_HEADER)).isFalse();
        });
        assertThat(USERS.findAll(getRequestedFor(urlPathEqualTo("/users")))).hasSize(3);
    }

    @Test
    void aFailedLookupReachesEveryRequestThatSharedIt() {
        USERS.stubFor(get(urlPathEqualTo("/users")).atPriority(1)
                .willReturn(aResponse().withStatus(500).withTransformers(HeldResponses.NAME)));
        double sharedBefore = shared();
        List<CompletableFuture<ResponseEntity<String>>> requests = IntStream.range(0, 3)
                .mapToObj(n -> page(port, null)).toList();

        await().atMost(Duration.ofSeconds(15)).until(() -> shared() == sharedBefore + 2);
        HELD.release();

        assertThat(requests).allSatisfy(request -> {
            ResponseEntity<String> answer = answer(request);
            assertThat(answer.getStatusCode().value()).isEqualTo(200);
            assertThat(answer.getHeaders().getFirst(PopulateGatewayFilterFactory.UNRESOLVED_HEADER)).isEqualTo("userId");
            assertThat(answer.getBody()).contains("\"userId\":\"" + id('a', 1) + "\"");
        });
        assertThat(HELD.arrived()).isEqualTo(1);

        // not kept: the next request calls again, and is answered
        USERS.resetMappings();
        HELD.release();
        pageOfUserOnesProducts(PRODUCTS, USERS);
        assertThat(answer(page(port, null)).getBody()).contains("\"name\":\"user 1\"");
        assertThat(USERS.findAll(getRequestedFor(urlPathEqualTo("/users")))).hasSize(2);
    }

    @Test
    void aReadAfterAWriteThroughTheGatewayNeverWaitsForALookupThatStartedBeforeIt() {
        USERS.stubFor(patch(urlPathEqualTo("/users/" + id('a', 1)))
                .willReturn(okJson("{\"id\":\"" + id('a', 1) + "\",\"name\":\"renamed\"}")));
        double sharedBefore = shared();
        CompletableFuture<ResponseEntity<String>> before = page(port, null);
        await().atMost(Duration.ofSeconds(15)).until(() -> HELD.arrived() == 1);

        WebClient.create("http://localhost:" + port).patch().uri("/api/users/" + id('a', 1))
                .headers(headers -> headers.setBearerAuth(token(id('a', 1))))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"name\":\"renamed\"}")
                .retrieve().toBodilessEntity().block(Duration.ofSeconds(15));
        CompletableFuture<ResponseEntity<String>> after = page(port, null);

        await("the read after the write calls user-service itself").atMost(Duration.ofSeconds(15))
                .until(() -> HELD.arrived() == 2);
        HELD.release();
        assertThat(answer(before).getStatusCode().value()).isEqualTo(200);
        assertThat(answer(after).getStatusCode().value()).isEqualTo(200);
        assertThat(shared()).isEqualTo(sharedBefore);
    }

    @Test
    void whenTheRequestThatStartedALookupGoesAwayTheLookupGoesOnForTheOthers() {
        double sharedBefore = shared();
        Disposable first = WebClient.create("http://localhost:" + port).get().uri(PAGE)
                .retrieve().toBodilessEntity().subscribe();
        await().atMost(Duration.ofSeconds(15)).until(() -> HELD.arrived() == 1);
        CompletableFuture<ResponseEntity<String>> second = page(port, null);
        await().atMost(Duration.ofSeconds(15)).until(() -> shared() == sharedBefore + 1);
        long bothHeld = memory.used();

        first.dispose();
        // its answer's memory given back: the first request is over at the gateway, its lookup cancelled
        await("the first request's end").atMost(Duration.ofSeconds(15)).until(() -> memory.used() < bothHeld);
        HELD.release();

        ResponseEntity<String> answer = answer(second);
        assertThat(answer.getHeaders().containsHeader(PopulateGatewayFilterFactory.UNRESOLVED_HEADER)).isFalse();
        assertThat(answer.getBody()).contains("\"userId\":{\"id\":\"" + id('a', 1) + "\",\"name\":\"user 1\"}");
        assertThat(HELD.arrived()).as("no second call").isEqualTo(1);
    }
}
