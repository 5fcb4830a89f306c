package com.example.shop.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 18's amplification attack, scaled up, against a gateway running as in production (the 96 MB heap of
 * {@code jvm.options}, {@code -XX:+ExitOnOutOfMemoryError}): one account with 100 products of 5,000-character
 * descriptions, and {@value #CLIENTS} clients asking for as much of them as they can for {@value #SECONDS} s: each
 * product with its owner and all of the owner's products (the 115 KB page that became 11.6 MB answers, and with
 * these descriptions 52 MB ones), the owner with its products, theirs and theirs again, the same with pages and limits
 * just small enough to pass the foreseeable check, and plain pages. The gateway must stay up, the same process
 * answering its health check, and every answer must be a 2xx, a 400 problem naming {@code populate}, or a 503 with
 * {@code Retry-After}. On the code before the budgets, the gateway died of {@code OutOfMemoryError} within seconds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(Services.Shared.class)
class AnswerBudgetIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final int CLIENTS = 12;

    private static final int SECONDS = 30;

    private static final int PRODUCTS = 100;

    private Shop shop;

    private Account owner;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void seed(Services services) {
        shop = Shop.startProduction(services);
        WebTestClient gateway = WebTestClient.bindToServer().baseUrl(shop.gateway().baseUrl())
                .responseTimeout(Duration.ofSeconds(20)).build();
        owner = Account.signUp(gateway, "Amplifier");
        for (int i = 0; i < PRODUCTS; i++) {
            gateway.post().uri("/api/products").headers(Account.as(owner)).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"title\":\"" + "T".repeat(200) + "\",\"imageUrl\":\"https://example.com/p.png\","
                            + "\"price\":" + (i + 1) + ",\"description\":\"" + String.format("%03d", i) + "d".repeat(4997) + "\"}")
                    .exchange().expectStatus().isCreated();
        }
    }

    /**
     * The owner goes, and its 100 large products with it (the store is shared with the other end-to-end classes,
     * whose pages in id order would otherwise start with them), before this class's gateway stops.
     */
    @AfterAll
    void stop() {
        if (shop == null) {
            return;
        }
        try {
            if (owner != null) {
                WebTestClient gateway = WebTestClient.bindToServer().baseUrl(shop.gateway().baseUrl())
                        .responseTimeout(Duration.ofSeconds(20)).build();
                gateway.delete().uri("/api/users/{id}", owner.id()).headers(Account.as(owner)).exchange()
                        .expectStatus().isNoContent();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(JSON.readTree(gateway.get()
                        .uri("/api/products?userId={id}&size=1", owner.id()).exchange().expectStatus().isOk()
                        .expectBody().returnResult().getResponseBody()).get("content")).isEmpty());
            }
        }
        finally {
            shop.stop();
        }
    }

    private List<HttpRequest> amplifications() {
        String page = shop.gateway().baseUrl() + "/api/products?userId=" + owner.id();
        String user = shop.gateway().baseUrl() + "/api/users/" + owner.id();
        List<HttpRequest> requests = new ArrayList<>();
        // the two forms of the report: 10,100 and 10,200 documents, each a copy of a 5 KB product
        requests.add(get(page + "&size=100&populate=userId.products", false));
        requests.add(get(user + "?populate=products.userId.products", true));
        // within the documents an answer may hold, but not its memory: 9,999 documents of 5 KB
        requests.add(get(page + "&size=99&populate=userId.products", false));
        requests.add(get(user + "?populate=products%5Blimit%3D99%5D,products.userId.products%5Blimit%3D99%5D", true));
        // within both: answers of 12 MB and of 5 MB, as many as the memory for answers in flight takes
        requests.add(get(page + "&size=22&populate=userId.products", false));
        requests.add(get(page + "&size=10&populate=userId.products", false));
        // the plain page, held to be tagged while there is memory for it
        requests.add(get(page + "&size=100", false));
        return requests;
    }

    private HttpRequest get(String uri, boolean signedIn) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(60)).GET();
        if (signedIn) {
            builder.header("Authorization", "Bearer " + owner.token());
        }
        return builder.build();
    }

    @Test
    void amplifiedAnswersNeverTakeTheGatewayDownAndEachIsAnAnswerOrAClearRefusal() throws Exception {
        long pid = shop.gateway().pid();
        List<HttpRequest> requests = amplifications();
        Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
        Map<String, String> wrong = new ConcurrentHashMap<>();
        LongAdder bytesRead = new LongAdder();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            running.add(clients.submit(() -> {
                for (int i = client; System.nanoTime() < end; i++) {
                    HttpRequest request = requests.get(i % requests.size());
                    String outcome = send(request, bytesRead);
                    outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
                    if (outcome.startsWith("wrong")) {
                        wrong.putIfAbsent(outcome, request.uri().toString());
                    }
                }
                return null;
            }));
        }
        for (Future<?> client : running) {
            client.get(SECONDS + 120, TimeUnit.SECONDS);
        }
        clients.shutdown();

        Map<String, Long> counts = new TreeMap<>();
        outcomes.forEach((outcome, count) -> counts.put(outcome, count.sum()));
        System.out.printf("Amplification, %d clients for %d s: %s; %.0f MB of answers read%n", CLIENTS, SECONDS, counts,
                bytesRead.sum() / 1e6);
        assertThat(shop.gateway().isAlive()).as("the gateway is still running").isTrue();
        assertThat(shop.gateway().pid()).isEqualTo(pid);
        assertThat(shop.gateway().log()).doesNotContain("OutOfMemoryError");
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(shop.gateway().managementUrl()
                + "/actuator/health")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(wrong).as("answers that are neither 2xx, a populate 400, nor a 503 with Retry-After").isEmpty();
        assertThat(counts).containsKeys("400 populate documents", "400 populate bytes", "200");
    }

    /** Sends {@code request} and says what came back: its kind of answer, or "wrong ..." for anything else. */
    private String send(HttpRequest request, LongAdder bytesRead) {
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            bytesRead.add(response.body().length);
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return response.headers().firstValue("Populate-Unresolved").isPresent() ? "200 partly populated" : "200";
            }
            String type = response.headers().firstValue("Content-Type").orElse("");
            JsonNode problem = type.startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE) ? JSON.readTree(response.body()) : null;
            if (status == 400 && problem != null && problem.has("errors")
                    && "populate".equals(problem.get("errors").get(0).get("field").stringValue()) && problem.has("limit")) {
                return "400 populate " + problem.get("limit").stringValue();
            }
            if (status == 503 && problem != null && response.headers().firstValue("Retry-After").isPresent()) {
                return "503 Retry-After";
            }
            return "wrong " + status + " " + new String(response.body()).substring(0, Math.min(200, response.body().length));
        }
        catch (IOException e) {
            return "wrong " + e;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "wrong interrupted";
        }
    }
}
