package com.example.shop.gateway.web;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.example.shop.gateway.BackendDocuments;
import com.example.shop.security.test.TestSecurity;
import com.example.shop.gateway.web.RawConnection.Response;
import com.example.shop.testing.WireMockBackend;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.example.shop.gateway.BackendDocuments.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a slow, stalled or silent client gets, over raw connections: bodies are read only for requests that
 * are let in, within a budget of all requests' bodies and a time limit; a request's head has a time limit of
 * its own, which trickling does not extend; a kept-alive connection left idle is closed. The limits are short
 * here (1 s for a head and for a body, an idle connection 3 s, a budget of 100 KB: one streamed body of the
 * 64 KB limit and a little more); their defaults are in {@link RequestLimitsProperties} and application.yml.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "shop.gateway.requests.header-timeout=1s",
        "shop.gateway.requests.body-timeout=1s",
        "shop.gateway.requests.body-budget=100KB",
        "server.netty.idle-timeout=3s",
        "spring.cloud.loadbalancer.configurations=default"})
@ExtendWith(OutputCaptureExtension.class)
class RequestDeadlinesTest {

    @RegisterExtension
    static final WireMockBackend PRODUCTS = WireMockBackend.onFreePort();

    /** Long enough for any deadline here to pass; an answer or a close that does not come within it is a failure. */
    static final Duration PATIENCE = Duration.ofSeconds(15);

    static final String TOKEN = TestSecurity.userToken(id('a', 1));

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        BackendDocuments.backends(registry, PRODUCTS, PRODUCTS);
    }

    @LocalServerPort
    int port;

    @Autowired
    BodyBudget budget;

    @Autowired
    CircuitBreakerRegistry circuitBreakers;

    @BeforeEach
    void setUp() {
        PRODUCTS.stubFor(any(anyUrl()).willReturn(okJson("{}")));
        circuitBreakers.circuitBreaker("product-service").reset();
        await().atMost(PATIENCE).until(() -> budget.held() == 0);
    }

    private RawConnection connect() throws IOException {
        return new RawConnection(port, PATIENCE);
    }

    private static String chunkedPost(String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type: " + MediaType.APPLICATION_JSON_VALUE;
        all[1] = "Transfer-Encoding: chunked";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return RawConnection.head("POST /api/products HTTP/1.1", all);
    }

    private void expectNothingRoutedAndNoFailureCounted() {
        assertThat(PRODUCTS.findAll(anyRequestedFor(anyUrl()))).as("requests the backend received").isEmpty();
        assertThat(circuitBreakers.circuitBreaker("product-service").getMetrics().getNumberOfFailedCalls()).isZero();
    }

    @Test
    void anAnonymousStalledUploadToAProtectedEndpointIs401WithNothingOfItHeld() throws IOException {
        try (RawConnection connection = connect()) {
            // 60 KB of a body that never ends, to an endpoint that needs a token
            Response response = connection.send(chunkedPost()).send(RawConnection.chunk(60 * 1024)).read();

            assertThat(response.status()).isEqualTo(401);
            assertThat(response.headers().get("content-type")).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            assertThat(budget.held()).as("bytes of bodies held").isZero();
            // the rest of the body has its time limit too: then the connection is closed
            assertThat(connection.closedByServer()).isTrue();
        }
        expectNothingRoutedAndNoFailureCounted();
    }

    @ParameterizedTest(name = "streamed: {0}")
    @ValueSource(booleans = {true, false})
    void aStalledBodyIs408AfterTheBodyTimeoutAndTheConnectionClosed(boolean streamed) throws IOException {
        try (RawConnection connection = connect()) {
            String head = streamed ? chunkedPost("Authorization: Bearer " + TOKEN)
                    : RawConnection.head("POST /api/products HTTP/1.1", "Content-Type: application/json", "Content-Length: 1000",
                            "Authorization: Bearer " + TOKEN);
            Response response = connection.send(head).send(streamed ? RawConnection.chunk(100) : "{\"title\":\"half").read();

            assertThat(response.status()).isEqualTo(408);
            assertThat(response.headers().get("content-type")).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            assertThat(response.headers().get("connection")).isEqualTo("close");
            assertThat(response.body()).contains("\"status\":408").contains("The request body did not arrive within 1 second");
            assertThat(connection.closedByServer()).isTrue();
        }
        expectNothingRoutedAndNoFailureCounted();
        await().atMost(PATIENCE).until(() -> budget.held() == 0);
    }

    @Test
    void bodiesOverTheBudgetAre503WithRetryAfterAndNothingRead(CapturedOutput output) throws IOException {
        long refusedBefore = budget.refused();
        try (RawConnection stalled = connect(); RawConnection refused = connect(); RawConnection small = connect()) {
            // a streamed body sets the 64 KB limit aside, of the 100 KB budget, and stalls
            stalled.send(chunkedPost("Authorization: Bearer " + TOKEN)).send(RawConnection.chunk(10));
            await().atMost(PATIENCE).until(() -> budget.held() == 64 * 1024);

            Response overBudget = refused.send(chunkedPost("Authorization: Bearer " + TOKEN))
                    .send(RawConnection.chunk(10) + "0\r\n\r\n").read();

            assertThat(overBudget.status()).isEqualTo(503);
            assertThat(overBudget.headers().get("retry-after")).isEqualTo("1");
            assertThat(overBudget.headers().get("content-type")).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            assertThat(PRODUCTS.findAll(anyRequestedFor(anyUrl()))).isEmpty();
            // counted, not logged: a flood of them is no flood of the log
            assertThat(budget.refused()).isEqualTo(refusedBefore + 1);
            assertThat(output.getOut()).doesNotContain("holding as many request bodies");

            // a body that declares a length within what is left is taken
            String body = "{\"title\":\"lamp\"}";
            Response taken = small.send(RawConnection.head("POST /api/products HTTP/1.1", "Content-Type: application/json",
                    "Content-Length: " + body.length(), "Authorization: Bearer " + TOKEN) + body).read();

            assertThat(taken.status()).isEqualTo(200);
            assertThat(PRODUCTS.findAll(postRequestedFor(urlPathEqualTo("/products")))).singleElement()
                    .satisfies(forwarded -> assertThat(forwarded.getBodyAsString()).isEqualTo(body));
            // the stalled one runs out of time, and gives its share back
            assertThat(stalled.read().status()).isEqualTo(408);
        }
        await().atMost(PATIENCE).until(() -> budget.held() == 0);
    }

    @Test
    void aTrickledHeadIs408AfterTheHeaderTimeoutAndTheConnectionClosed() throws Exception {
        ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();
        try (RawConnection connection = connect()) {
            connection.send("GET /api/products HTTP/1.1\r\nHost: localhost\r\n");
            // a header byte every 100 ms, each read restarting Reactor Netty's idle timeout, until the connection closes
            trickler.scheduleAtFixedRate(() -> {
                try {
                    connection.send("X");
                }
                catch (IOException closed) {
                    throw new IllegalStateException(closed);
                }
            }, 100, 100, TimeUnit.MILLISECONDS);

            Response response = connection.read();

            assertThat(response.status()).isEqualTo(408);
            assertThat(response.headers().get("content-type")).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            assertThat(response.headers().get("connection")).isEqualTo("close");
            assertThat(response.body()).contains("The request line and headers did not arrive within 1 second");
            assertThat(connection.closedByServer()).isTrue();
        }
        finally {
            trickler.shutdownNow();
        }
        assertThat(PRODUCTS.findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void aConnectionThatSendsNothingIsClosed() throws IOException {
        try (RawConnection connection = connect()) {
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    /**
     * The head's time limit counts from a request's first bytes, not from the answer before it: a client that
     * pauses longer than it between requests (within the idle timeout) is served, and so are requests sent
     * together (pipelined), the second one's bytes arriving while the first is answered.
     */
    @Test
    void aKeptAliveConnectionServesRequestsAfterAPauseAndPipelined() throws Exception {
        String get = RawConnection.head("GET /api/products HTTP/1.1");
        String post = RawConnection.head("POST /api/products HTTP/1.1", "Content-Type: application/json", "Content-Length: 2",
                "Authorization: Bearer " + TOKEN) + "{}";
        try (RawConnection connection = connect()) {
            assertThat(connection.send(get).read().status()).isEqualTo(200);
            // the client pauses: 1.5 s, over the header timeout (1 s), within the idle timeout (3 s)
            TimeUnit.MILLISECONDS.sleep(1500);
            assertThat(connection.send(post).read().status()).isEqualTo(200);

            connection.send(get + post + get);

            for (int i = 0; i < 3; i++) {
                assertThat(connection.read().status()).isEqualTo(200);
            }
        }
        assertThat(PRODUCTS.findAll(postRequestedFor(urlPathEqualTo("/products")))).hasSize(2);
    }

    @Test
    void anIdleKeptAliveConnectionIsClosed() throws IOException {
        try (RawConnection connection = connect()) {
            for (int i = 0; i < 2; i++) {
                Response response = connection.send(RawConnection.head("GET /api/products HTTP/1.1")).read();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.headers().get("connection")).isNotEqualTo("close");
            }

            assertThat(connection.closedByServer()).isTrue();
        }
    }
}
