package com.example.shop.gateway.operate;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.gateway.support.NotFoundException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import com.example.shop.security.test.TestSecurity;
import com.example.shop.gateway.BackendDocuments;
import com.example.shop.gateway.routing.PopulateGatewayFilterFactory;
import com.example.shop.testing.WireMockBackend;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.example.shop.gateway.BackendDocuments.array;
import static com.example.shop.gateway.BackendDocuments.MANAGEMENT_PORT_OFFSET;
import static com.example.shop.gateway.BackendDocuments.id;
import static com.example.shop.gateway.BackendDocuments.product;
import static com.example.shop.gateway.BackendDocuments.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway as operated: two user-service instances (WireMock) behind it, load-balanced and
 * readiness-checked on their management ports (each instance's port + 1000, where another WireMock plays
 * its actuator); W3C trace context carried to the backends; the populate figures on the gateway's
 * {@code /actuator/prometheus}, on its management port.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // each check may take up to the interval; the first calls of a JVM are slow on a loaded machine
        "spring.cloud.loadbalancer.health-check.interval=2s",
        "resilience4j.retry.configs.default.wait-duration=10ms",
        // every lookup reaches the backends, to be counted (the cache: cache.PopulateCacheHttpTest)
        "shop.populate.cache.ttl=0",
        // failing attempts on a stopped instance must not open the circuit behind the test's back (resilience4j
        // caps the minimum number of calls at the window's size: both are raised)
        "resilience4j.circuitbreaker.configs.default.sliding-window-size=1000",
        "resilience4j.circuitbreaker.configs.default.minimum-number-of-calls=1000"})
@ExtendWith(OutputCaptureExtension.class)
class GatewayOperationsTest {

    // stubs are added, never reset: see userInstance
    @RegisterExtension
    static final WireMockBackend USERS_A = WireMockBackend.onInstancePort().keepingStubs();

    @RegisterExtension
    static final WireMockBackend USERS_B = WireMockBackend.onInstancePort().keepingStubs();

    @RegisterExtension
    static final WireMockBackend PRODUCTS = WireMockBackend.onInstancePort().keepingStubs();

    /** Each instance's management port, where the gateway checks its readiness. */
    static final Map<WireMockServer, WireMockServer> MANAGEMENT = Map.of(
            USERS_A, managementOf(USERS_A), USERS_B, managementOf(USERS_B), PRODUCTS, managementOf(PRODUCTS));

    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    static {
        // ready before the gateway's first readiness check
        backendsAsExpected();
    }

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        registry.add("shop.remote.user-service", () -> USERS_A.baseUrl() + "," + USERS_B.baseUrl());
        registry.add("shop.remote.product-service", PRODUCTS::baseUrl);
    }

    @AfterAll
    static void stopManagementPorts() {
        MANAGEMENT.values().forEach(WireMockServer::stop);
    }

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    CircuitBreakerRegistry circuitBreakers;

    WebTestClient client;

    static WireMockServer managementOf(WireMockServer instance) {
        return WireMockBackend.onPort(instance.port() + MANAGEMENT_PORT_OFFSET);
    }

    static void ready(WireMockServer server) {
        MANAGEMENT.get(server).stubFor(get(urlPathEqualTo("/actuator/health/readiness"))
                .willReturn(okJson("{\"status\":\"UP\"}")));
    }

    /**
     * An instance of user-service that is ready and knows users 0..9. Stubs are added, never reset (the
     * newest wins): a readiness check in between must not find an instance without its stub.
     */
    static void userInstance(WireMockServer server) {
        ready(server);
        server.stubFor(get(urlPathMatching("/users/[0-9a-f]{24}")).willReturn(okJson(user(1))));
        server.stubFor(get(urlPathEqualTo("/users")).willReturn(okJson(array(IntStream.range(0, 10), BackendDocuments::user))));
    }

    @BeforeEach
    void setUp() {
        client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(10))
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + TestSecurity.userToken(id('a', 1)))
                .build();
        backendsAsExpected();
        circuitBreakers.getAllCircuitBreakers().forEach(CircuitBreaker::reset);
    }

    static void backendsAsExpected() {
        userInstance(USERS_A);
        userInstance(USERS_B);
        ready(PRODUCTS);
        PRODUCTS.stubFor(get(urlPathEqualTo("/products")).willReturn(okJson(
                "[" + product(1, 1) + "," + product(2, 2) + "]")));
    }

    static int served(WireMockServer server, String path) {
        return server.findAll(getRequestedFor(urlPathMatching(path))).size();
    }

    private void getUser() {
        client.get().uri("/api/users/" + id('a', 1)).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.name").isEqualTo("user 1");
    }

    private void getPopulatedProducts() {
        client.get().uri("/api/products?ids=x&populate=userId").exchange()
                .expectStatus().isOk()
                .expectHeader().doesNotExist(PopulateGatewayFilterFactory.UNRESOLVED_HEADER)
                .expectBody().jsonPath("$[1].userId.name").isEqualTo("user 2");
    }

    /**
     * Ten routed GETs, then ten populate lookups. Not interleaved: both kinds share the backend's one
     * round-robin load balancer, so strictly alternating them would send every routed request to one
     * instance and every lookup to the other.
     */
    private void tenOfEach() {
        for (int i = 0; i < 10; i++) {
            getUser();
        }
        for (int i = 0; i < 10; i++) {
            getPopulatedProducts();
        }
    }

    // ---- several instances

    @Test
    void routedRequestsAndPopulateLookupsReachBothInstances() {
        // right after start-up or another test, an instance may still be waiting for its readiness check
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            USERS_A.resetRequests();
            USERS_B.resetRequests();
            tenOfEach();
            assertThat(served(USERS_A, "/users/.*") + served(USERS_B, "/users/.*")).isEqualTo(10);
            assertThat(served(USERS_A, "/users/.*")).as("routed to A").isPositive();
            assertThat(served(USERS_B, "/users/.*")).as("routed to B").isPositive();
            assertThat(served(USERS_A, "/users") + served(USERS_B, "/users")).isEqualTo(10);
            assertThat(served(USERS_A, "/users")).as("lookups at A").isPositive();
            assertThat(served(USERS_B, "/users")).as("lookups at B").isPositive();
        });
    }

    @Test
    void whenAnInstanceStopsGetsAndLookupsGoToTheOtherAtOnce() {
        int port = USERS_A.port();
        USERS_A.stop();
        try {
            // no waiting for a readiness check: the attempts that meet the stopped instance go again, to B
            tenOfEach();
            assertThat(served(USERS_B, "/users/.*")).isEqualTo(10);
            assertThat(served(USERS_B, "/users")).isEqualTo(10);
        }
        finally {
            USERS_A.start();
            assertThat(USERS_A.port()).isEqualTo(port);
            userInstance(USERS_A);
        }
    }

    @Test
    void anInstanceFailingItsReadinessCheckGetsNoMoreTraffic() {
        MANAGEMENT.get(USERS_A).stubFor(get(urlPathEqualTo("/actuator/health/readiness"))
                .willReturn(aResponse().withStatus(503).withBody("{\"status\":\"OUT_OF_SERVICE\"}")));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            USERS_A.resetRequests();
            tenOfEach();
            assertThat(served(USERS_A, "/users.*")).as("requests to the instance that is not ready").isZero();
        });
        assertThat(served(USERS_B, "/users/.*")).isGreaterThanOrEqualTo(10);
        assertThat(USERS_A.findAll(getRequestedFor(urlPathMatching("/actuator/.*")))).as("checks on the public port")
                .isEmpty();
    }

    /**
     * Every instance failing its readiness check: the gauge and the log say so, requests get a 503 naming the
     * backend with {@code Retry-After}, which its breaker does not count; once an instance is ready again (checked
     * every 500 ms while it is not), requests reach it.
     */
    @Test
    void whenNoInstanceIsReadyRequestsAre503WithRetryAfterUntilOneIsAndTheGaugeAndLogSaySo(CapturedOutput output) {
        for (WireMockServer users : List.of(USERS_A, USERS_B)) {
            MANAGEMENT.get(users).stubFor(get(urlPathEqualTo("/actuator/health/readiness"))
                    .willReturn(aResponse().withStatus(503).withBody("{\"status\":\"OUT_OF_SERVICE\"}")));
        }
        String userService = "backend=\"user-service\"";
        await().atMost(Duration.ofSeconds(20)).until(() -> scrape("shop_backend_instances_ready", userService) == 0);
        assertThat(scrape("shop_backend_instances_configured", userService)).isEqualTo(2);
        assertThat(output.getOut()).contains("user-service: instance ", " is not ready (",
                "no instance is ready: calls are refused (503) until one is");

        for (int i = 0; i < 20; i++) {
            client.get().uri("/api/users/" + id('a', 1)).exchange()
                    .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                    .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1")
                    .expectBody().jsonPath("$.backend").isEqualTo("user-service");
        }
        assertThat(circuitBreakers.circuitBreaker("user-service").getMetrics().getNumberOfBufferedCalls()).isZero();
        assertThat(served(USERS_A, "/users/.*") + served(USERS_B, "/users/.*")).isZero();

        ready(USERS_A);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(this::getUser);
        assertThat(output.getOut()).contains("user-service: instance " + USERS_A.baseUrl() + " is ready (1 of 2 ready)");
        backendsAsExpected();
        await().atMost(Duration.ofSeconds(20)).until(() -> scrape("shop_backend_instances_ready", userService) == 2);
    }

    @Test
    void theBreakersIgnoreWhatSaysNothingAboutHowTheBackendAnswers() {
        CircuitBreakerConfig config = circuitBreakers.circuitBreaker("user-service").getCircuitBreakerConfig();
        assertThat(config.getIgnoreExceptionPredicate()).accepts(NotFoundException.create(false, "no instance"),
                new ConnectException("Connection refused"));
        assertThat(config.getRecordExceptionPredicate()).accepts(new IOException("Connection reset by peer"))
                .rejects(WebClientResponseException.create(404, "Not Found", null, null, null));
    }

    // ---- traces

    @Test
    void theIncomingTraceReachesTheBackendOnThePassThroughAndOnThePopulateLookup() {
        client.get().uri("/api/products?ids=x&populate=userId")
                .header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().doesNotExist(PopulateGatewayFilterFactory.UNRESOLVED_HEADER);

        LoggedRequest passThrough = PRODUCTS.findAll(getRequestedFor(urlPathEqualTo("/products"))).get(0);
        List<LoggedRequest> lookups = new java.util.ArrayList<>(USERS_A.findAll(getRequestedFor(urlPathEqualTo("/users"))));
        lookups.addAll(USERS_B.findAll(getRequestedFor(urlPathEqualTo("/users"))));

        assertThat(traceId(passThrough)).isEqualTo(TRACE_ID);
        assertThat(lookups).singleElement().satisfies(lookup -> assertThat(traceId(lookup)).isEqualTo(TRACE_ID));
        assertThat(passThrough.getHeader("traceparent")).as("a span of its own")
                .isNotEqualTo(lookups.get(0).getHeader("traceparent"));
    }

    private static String traceId(LoggedRequest request) {
        String traceparent = request.getHeader("traceparent");
        assertThat(traceparent).as("traceparent of " + request.getUrl()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        return traceparent.split("-")[1];
    }

    // ---- metrics

    @Test
    void populateFiguresMoveOnPrometheusAndTheFailureIsLoggedWithTheTraceId(CapturedOutput output) {
        double batchesBefore = scrape("gateway_populate_batches_total", "target=\"user\"");
        double idsBefore = scrape("gateway_populate_batch_ids_sum", "target=\"user\"");
        double unresolvedBefore = scrape("gateway_populate_unresolved_total", "resource=\"product\"", "path=\"userId\"");

        getPopulatedProducts();
        for (WireMockServer users : List.of(USERS_A, USERS_B)) {
            users.stubFor(get(urlPathEqualTo("/users")).willReturn(aResponse().withStatus(500)));
        }
        client.get().uri("/api/products?ids=x&populate=userId")
                .header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(PopulateGatewayFilterFactory.UNRESOLVED_HEADER, "userId");

        assertThat(scrape("gateway_populate_batches_total", "target=\"user\"")).isEqualTo(batchesBefore + 2);
        assertThat(scrape("gateway_populate_batch_ids_sum", "target=\"user\"")).isEqualTo(idsBefore + 4);
        assertThat(scrape("gateway_populate_unresolved_total", "resource=\"product\"", "path=\"userId\""))
                .isEqualTo(unresolvedBefore + 1);
        String prometheus = prometheus();
        assertThat(prometheus).contains("gateway_populate_batch_ids_bucket{", "http_server_requests_seconds_count{",
                "http_client_requests_seconds_count{", "resilience4j_circuitbreaker_state{");
        assertThat(output.getOut()).containsPattern("(?m)^.*" + TRACE_ID + ".*Fetching 2 id\\(s\\) of user failed.*$");
    }

    private String prometheus() {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + managementPort).build()
                .get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
    }

    /** The sum of the samples of {@code metric} whose labels include all of {@code labels}. */
    private double scrape(String metric, String... labels) {
        return prometheus().lines()
                .filter(line -> line.startsWith(metric + "{"))
                .filter(line -> List.of(labels).stream().allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
