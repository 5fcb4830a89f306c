package com.example.shop.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Recovery without a second outage (issue 18, finding 4): product-service stopped for 10 s while two clients
 * write through the gateway every 200 ms each, then started again. During the outage both get 503s that name
 * product-service and carry {@code Retry-After}; from one second after it is ready again, not one 503, and never
 * anything but a 200 or a 503 (a write caught by the graceful stop included). The two clients take both kinds of
 * path to it: cart adds go gateway → user-service → product-service (does the product exist?), user-service's
 * calls (its WebClient, load balancer and circuit breaker); price changes go gateway → product-service, the
 * gateway's routed requests. Both services run on the file store, so that what was written before the stop is
 * there after it. The processes are this class's own: it stops and restarts one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Order(Integer.MAX_VALUE) // last, alone: what it measures, within a second, wants a machine doing nothing else
class BackendRestartIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** How long the backend stays stopped: the scenario, not a wait for something. */
    private static final Duration OUTAGE = Duration.ofSeconds(10);

    /** How long the clients go on after the backend is ready again: past a readiness check round and an open breaker's wait. */
    private static final Duration AFTER_READY = Duration.ofSeconds(10);

    private static final Duration EVERY = Duration.ofMillis(200);

    private static final long GRACE_NANOS = Duration.ofSeconds(1).toNanos();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Path stores;

    private int userPort;

    private int productPort;

    private ServiceProcess users;

    private ServiceProcess products;

    private ServiceProcess gateway;

    private Account account;

    private String product;

    private final AtomicInteger priceChanges = new AtomicInteger();

    @BeforeAll
    void startShop() throws IOException {
        stores = Files.createDirectories(Path.of("target", "e2e", "backend-restart-" + System.currentTimeMillis()));
        userPort = ServiceProcess.freePort();
        productPort = ServiceProcess.freePort();
        users = startUsers();
        products = startProducts();
        gateway = ServiceProcess.startGateway(users.baseUrl(), products.baseUrl());
        users.awaitReady(Duration.ofSeconds(120));
        products.awaitReady(Duration.ofSeconds(120));
        gateway.awaitReady(Duration.ofSeconds(120));

        WebTestClient client = WebTestClient.bindToServer().baseUrl(gateway.baseUrl())
                .responseTimeout(Duration.ofSeconds(20)).build();
        account = Account.signUp(client, "Restart");
        product = JSON.readTree(client.post().uri("/api/products").headers(Account.as(account))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"title\":\"Lamp\",\"imageUrl\":\"https://example.com/l.png\",\"price\":19.90,"
                        + "\"description\":\"A lamp\",\"userId\":\"" + account.id() + "\"}")
                .exchange().expectStatus().isCreated().expectBody().returnResult().getResponseBody())
                .get("id").stringValue();
    }

    @AfterAll
    void stopShop() {
        for (ServiceProcess process : new ServiceProcess[] {gateway, products, users}) {
            if (process != null) {
                process.stop();
            }
        }
    }

    private ServiceProcess startUsers() {
        return ServiceProcess.start("user-service", userPort, Map.of(
                "PRODUCT_SERVICE_URL", "http://localhost:" + productPort,
                "SHOP_STORE_EMBEDDED_BACKEND", "file",
                "SHOP_STORE_EMBEDDED_PATH", stores.resolve("users").toString()));
    }

    private ServiceProcess startProducts() {
        return ServiceProcess.start("product-service", productPort, Map.of(
                "USER_SERVICE_URL", "http://localhost:" + userPort,
                "SHOP_STORE_EMBEDDED_BACKEND", "file",
                "SHOP_STORE_EMBEDDED_PATH", stores.resolve("products").toString()));
    }

    @Test
    void writesGoThroughOneSecondAfterProductServiceIsBack() throws Exception {
        Map<String, Run> runs = outage(() -> products, () -> products = startProducts(),
                Map.of("cart adds (user-service's calls)", this::addToCart,
                        "price changes (the gateway's routed requests)", this::changePrice));
        runs.forEach((client, run) -> run.assertRecoveredAtOnce("product-service", client));
    }

    /**
     * Sends each of {@code clients}' requests every 200 ms, without waiting for the previous answer, while
     * {@code backend} is stopped for {@link #OUTAGE}, started again with {@code restart} and ready, and for
     * {@link #AFTER_READY} more: each client's run.
     */
    private Map<String, Run> outage(Supplier<ServiceProcess> backend, Supplier<ServiceProcess> restart,
            Map<String, Supplier<HttpRequest>> clients) throws Exception {
        for (Supplier<HttpRequest> request : clients.values()) {
            await("a write that works").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> http.send(request.get(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        }
        Map<String, List<Answer>> answers = new ConcurrentHashMap<>();
        ScheduledExecutorService senders = Executors.newScheduledThreadPool(clients.size());
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        long origin = System.nanoTime();
        clients.forEach((client, request) -> {
            List<Answer> own = Collections.synchronizedList(new ArrayList<>());
            answers.put(client, own);
            senders.scheduleAtFixedRate(() -> {
                long sent = System.nanoTime() - origin;
                CompletableFuture<?> call = http.sendAsync(request.get(), HttpResponse.BodyHandlers.ofString())
                        .handle((response, error) -> own.add(response == null ? new Answer(sent, 0, null, String.valueOf(error))
                                : new Answer(sent, response.statusCode(),
                                response.headers().firstValue(HttpHeaders.RETRY_AFTER).orElse(null), response.body())));
                synchronized (inFlight) {
                    inFlight.add(call);
                }
            }, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
        });
        try {
            // some successful writes first: the clients and the paths are warm
            TimeUnit.SECONDS.sleep(2);
            long stopping = System.nanoTime() - origin;
            backend.get().stop();
            long stopped = System.nanoTime() - origin;
            TimeUnit.NANOSECONDS.sleep(OUTAGE.toNanos());
            restart.get().awaitReady(Duration.ofSeconds(120), Duration.ofMillis(50));
            long ready = System.nanoTime() - origin;
            TimeUnit.NANOSECONDS.sleep(AFTER_READY.toNanos());
            senders.shutdown();
            assertThat(senders.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            synchronized (inFlight) {
                CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            }
            Map<String, Run> runs = new TreeMap<>();
            answers.forEach((client, own) -> {
                synchronized (own) {
                    runs.put(client, new Run(List.copyOf(own), stopping, stopped, ready));
                }
            });
            return runs;
        }
        finally {
            senders.shutdownNow();
        }
    }

    private HttpRequest changePrice() {
        return HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/api/products/" + product))
                .timeout(Duration.ofSeconds(15))
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + account.token())
                .header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"price\":" + (10 + priceChanges.incrementAndGet() % 90) + "}"))
                .build();
    }

    private HttpRequest addToCart() {
        return HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/api/users/" + account.id() + "/cart/items"))
                .timeout(Duration.ofSeconds(15))
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + account.token())
                .header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
                .POST(HttpRequest.BodyPublishers.ofString("{\"productId\":\"" + product + "\",\"quantity\":1}"))
                .build();
    }

    /** One cart add: when it was sent (ns since the run began), its status (0: no answer), Retry-After, body. */
    private record Answer(long sent, int status, String retryAfter, String body) {

        @Override
        public String toString() {
            return String.format("%.2f s: %d%s %s", sent / 1e9, status, retryAfter == null ? "" : " Retry-After " + retryAfter,
                    body.length() > 160 ? body.substring(0, 160) : body);
        }
    }

    /**
     * The answers of a run, with when the backend's graceful stop began and ended and when it was seen ready
     * again.
     */
    private record Run(List<Answer> answers, long stopping, long stopped, long ready) {

        void assertRecoveredAtOnce(String backend, String client) {
            String timeline = String.format("%s: stopping at %.2f s, stopped at %.2f s, ready at %.2f s; answers:%n",
                    client, stopping / 1e9, stopped / 1e9, ready / 1e9)
                    + String.join("\n", answers.stream().map(Answer::toString).toList());
            List<Answer> duringOutage = answers.stream().filter(a -> a.sent() > stopped && a.sent() < ready).toList();
            List<Answer> afterGrace = answers.stream().filter(a -> a.sent() >= ready + GRACE_NANOS).toList();

            assertThat(duringOutage).as(timeline).extracting(Answer::status).contains(503);
            assertThat(answers).as("503s name %s and carry Retry-After%n%s", backend, timeline)
                    .filteredOn(a -> a.status() == 503)
                    .allSatisfy(a -> {
                        assertThat(a.body()).contains(backend);
                        assertThat(a.retryAfter()).matches("[1-9][0-9]*");
                    });
            assertThat(answers).as("every write answered 200 or 503%n%s", timeline)
                    .extracting(Answer::status).containsOnly(200, 503);
            assertThat(afterGrace).as("writes from 1 s after %s is ready%n%s", backend, timeline)
                    .hasSizeGreaterThan(35)
                    .extracting(Answer::status).containsOnly(200);
            System.out.println(client + ": " + summary(backend));
        }

        /** When the last 503 and the first 200 after the stop were sent, from when the backend was ready. */
        private String summary(String backend) {
            double last503 = answers.stream().filter(a -> a.status() == 503).mapToLong(Answer::sent).max().orElse(0);
            double first200 = answers.stream().filter(a -> a.status() == 200 && a.sent() > stopped)
                    .mapToLong(Answer::sent).min().orElse(0);
            return String.format("%s ready %.1f s after it stopped; from ready, the last 503 was sent at %+.2f s and "
                            + "the first 200 at %+.2f s; %d writes, %d answered 503", backend, (ready - stopped) / 1e9,
                    (last503 - ready) / 1e9, (first200 - ready) / 1e9, answers.size(),
                    answers.stream().filter(a -> a.status() == 503).count());
        }
    }

}
