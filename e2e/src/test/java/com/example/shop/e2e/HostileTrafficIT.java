package com.example.shop.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.example.shop.security.test.TestSecurity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10's acceptance run: thousands of hostile requests of every kind the edge must turn away (malformed
 * and oversize bodies, bad ids and numbers, forged tokens, path tricks, huge URIs and headers, actuator
 * writes, sign-in floods), sent concurrently through the gateway to the real services, while a legitimate
 * client keeps reading beside them. Nothing hostile may get a 5xx, and the legitimate client never a 503:
 * every one of its reads is a 200 (at most half of them with a populate lookup left unresolved, the
 * designed degradation when the storm saturates the machine's two cores).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(Services.Shared.class)
class HostileTrafficIT {

    private static final int HOSTILE_REQUESTS = 5_200;

    private static final int CONCURRENCY = 32;

    private static Shop shop;

    @AfterAll
    static void stopServices() {
        if (shop != null) {
            shop.stop();
        }
    }

    int port;

    // HTTP/1.1 as the hostile requests are written (Connection: close); the client's default, HTTP/2, adds an
    // h2c upgrade offer to each request's Connection header
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Account legitimate;

    private String product;

    @BeforeAll
    void seed(Services services) {
        // a gateway of its own, with the default per-address sign-in limit, which the sign-in floods meet
        shop = Shop.start(services);
        port = shop.gateway().port();
        WebTestClient gateway = WebTestClient.bindToServer().baseUrl(base()).responseTimeout(Duration.ofSeconds(20))
                .build();
        legitimate = Account.signUp(gateway, "Legit");
        byte[] created = gateway.post().uri("/api/products").headers(Account.as(legitimate))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"title\":\"Lamp\",\"imageUrl\":\"https://example.com/l.png\",\"price\":19.90,"
                        + "\"description\":\"A lamp\"}")
                .exchange().expectStatus().isCreated().expectBody().returnResult().getResponseBody();
        product = new String(created).replaceAll(".*\"id\":\"([0-9a-f]{24})\".*", "$1");
        gateway.post().uri("/api/users/{id}/cart/items", legitimate.id()).headers(Account.as(legitimate))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"productId\":\"" + product + "\",\"quantity\":1}")
                .exchange().expectStatus().isOk();
    }

    private String base() {
        return "http://localhost:" + port;
    }

    @Test
    void thousandsOfHostileRequestsGetNoServerErrorAndALegitimateClientIsServedThroughout() throws Exception {
        List<Function<Integer, HttpRequest>> kinds = hostileKinds();
        Map<String, LongAdder> hostileStatuses = new ConcurrentHashMap<>();
        Map<String, LongAdder> hostileServerErrors = new ConcurrentHashMap<>();
        LongAdder cutOff = new LongAdder();
        Map<String, LongAdder> unanswered = new ConcurrentHashMap<>();
        AtomicBoolean storming = new AtomicBoolean(true);
        Map<Integer, LongAdder> legitimateStatuses = new ConcurrentHashMap<>();
        List<String> legitimateFailures = java.util.Collections.synchronizedList(new ArrayList<>());
        LongAdder legitimatePartial = new LongAdder();

        // a read every 50 ms (the next one at once should a read take longer) from the start of the storm to its
        // end, and at least 20 in all: it sees any stretch of refusals longer than that
        LongAdder legitimateReads = new LongAdder();
        CompletableFuture<Void> legitimateClient = Flux.interval(Duration.ZERO, Duration.ofMillis(50))
                .onBackpressureDrop()
                .takeWhile(tick -> storming.get() || legitimateReads.sum() < 20)
                .flatMap(tick -> Mono.fromRunnable(() -> {
                    HttpRequest request = legitimateReads.sum() % 2 == 0
                            ? get("/api/products?populate=userId").build()
                            : get("/api/users/" + legitimate.id() + "?populate=cart.items.productId")
                                    .header("Authorization", "Bearer " + legitimate.token()).build();
                    try {
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        legitimateStatuses.computeIfAbsent(response.statusCode(), s -> new LongAdder()).increment();
                        if (response.statusCode() == 200 && response.headers().firstValue("Populate-Unresolved").isPresent()) {
                            // a lookup that missed the populate deadline on a machine the storm saturates: the
                            // designed degradation (ids left as ids, and said so), not a failure
                            legitimatePartial.increment();
                        }
                        else if (response.statusCode() != 200) {
                            legitimateFailures.add(response.statusCode() + " " + request.uri() + " "
                                    + response.headers().map() + " " + response.body());
                        }
                    }
                    catch (IOException | InterruptedException e) {
                        legitimateFailures.add(e + " " + request.uri());
                    }
                    legitimateReads.increment();
                }).subscribeOn(Schedulers.boundedElastic()), 1, 1)
                .then().toFuture();

        Semaphore inFlight = new Semaphore(CONCURRENCY);
        List<CompletableFuture<?>> sent = new ArrayList<>();
        for (int i = 0; i < HOSTILE_REQUESTS; i++) {
            int kind = i % kinds.size();
            // each on a connection of its own, so that no hostile request inherits the state of another's
            // (a refused upload, a client that hung up) through the client's connection pool; each with a
            // time-out, so that one left unanswered is counted below instead of holding up the whole run
            HttpRequest kindOf = kinds.get(kind).apply(i);
            HttpRequest.Builder builder = HttpRequest.newBuilder(kindOf, (name, value) -> true).header("Connection", "close");
            if (kindOf.timeout().isEmpty()) {
                builder.timeout(Duration.ofSeconds(60));
            }
            HttpRequest request = builder.build();
            inFlight.acquire();
            sent.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .handle((response, error) -> {
                        inFlight.release();
                        String label = kind + " " + request.method() + " " + abbreviate(request.uri().toString());
                        if (error != null) {
                            // the gateway may close the connection on a body it refused before the client finished sending
                            // and a client that hangs up (a time-out of its own) gets no answer at all
                            if (isOversize(request) || request.timeout().map(t -> t.toMillis() < 100).orElse(false)) {
                                cutOff.increment();
                            }
                            else if (error.getCause() instanceof java.net.http.HttpTimeoutException) {
                                unanswered.computeIfAbsent(label, k -> new LongAdder()).increment();
                            }
                            else {
                                hostileServerErrors.computeIfAbsent(label + " " + error, k -> new LongAdder()).increment();
                            }
                            return null;
                        }
                        hostileStatuses.computeIfAbsent(kind + ":" + response.statusCode(), k -> new LongAdder()).increment();
                        if (response.statusCode() >= 500) {
                            hostileServerErrors.computeIfAbsent(label + " -> " + response.statusCode() + " "
                                    + abbreviate(response.body()), k -> new LongAdder()).increment();
                        }
                        return null;
                    }));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        storming.set(false);
        legitimateClient.get(2, TimeUnit.MINUTES);

        long answered = hostileStatuses.values().stream().mapToLong(LongAdder::sum).sum();
        System.out.printf("Hostile: %d sent, %d answered, %d cut off (oversize uploads refused mid-send, clients that hung up); statuses by kind %s%n",
                HOSTILE_REQUESTS, answered, cutOff.sum(), new java.util.TreeMap<>(hostileStatuses));
        System.out.printf("Legitimate: %s, %d of them partly populated%n", legitimateStatuses, legitimatePartial.sum());
        assertThat(hostileServerErrors).as("hostile requests answered with a 5xx or failed").isEmpty();
        // every hostile request is answered (or cut off by its own client) within its minute (the 0 to 3 that were
        // not with Reactor Netty 1.3.6: reactor-netty#4361, KeptAliveConnectionsTest in the gateway's tests)
        System.out.printf("Unanswered within a minute: %s%n", unanswered);
        long late = unanswered.values().stream().mapToLong(LongAdder::sum).sum();
        assertThat(unanswered).as("hostile requests left unanswered for a minute").isEmpty();
        assertThat(answered + cutOff.sum() + late).isEqualTo(HOSTILE_REQUESTS);
        assertThat(legitimateFailures).as("the legitimate client's failures").isEmpty();
        assertThat(legitimateStatuses.keySet()).containsExactly(200);
        assertThat(legitimateStatuses.get(200).sum()).isGreaterThanOrEqualTo(20);
        assertThat(legitimatePartial.sum()).as("partly populated answers").isLessThanOrEqualTo(legitimateStatuses.get(200).sum() / 2);
    }

    /** Each kind makes the i-th request of its sort; the kinds cycle. */
    private List<Function<Integer, HttpRequest>> hostileKinds() {
        byte[] body70k = json(70 * 1024);
        byte[] body10m = json(10 * 1024 * 1024);
        String junkHeader = "x".repeat(40 * 1024);
        String junkTag = "t".repeat(2000);
        String longPath = "/api/products/" + "a".repeat(20 * 1024);
        String me = legitimate.id();
        String token = legitimate.token();
        List<Function<Integer, HttpRequest>> kinds = new ArrayList<>();
        // bodies: malformed, wrong types, unknown and $-prefixed fields, oversize, not JSON (on writes that
        // are not rate-limited, so that they reach the body checks; sign-up and token bodies are below)
        kinds.add(i -> postBytes("/api/products", "{\"title\": \"x\", \"price\": ".getBytes(), token));
        kinds.add(i -> postBytes("/api/products", "{\"title\": 5, \"price\": \"cheap\", \"imageUrl\": []}".getBytes(), token));
        kinds.add(i -> postBytes("/api/products", ("{\"title\":\"T\",\"imageUrl\":\"https://e.com/i.png\",\"price\":1,"
                + "\"description\":\"d\",\"$where\":\"1\"}").getBytes(), token));
        kinds.add(i -> postBytes("/api/products", ("{\"title\":\"T\",\"imageUrl\":\"https://e.com/i.png\",\"price\":1e400,"
                + "\"description\":\"d\",\"admin\":true}").getBytes(), token));
        kinds.add(i -> HttpRequest.newBuilder(URI.create(base() + "/api/users/" + me))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body70k)).build());
        kinds.add(i -> postBytes("/api/auth/token", body70k, null));
        kinds.add(i -> postBytes("/api/products", i % 40 == 6 ? body10m : body70k, token));
        kinds.add(i -> HttpRequest.newBuilder(URI.create(base() + "/api/products")).header("Content-Type", "text/plain")
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString("hello")).build());
        // sign-in floods and sign-ups (rate-limited per address, bounded hashing behind it)
        kinds.add(i -> post("/api/auth/token", "{\"email\":\"nobody" + i + "@example.com\",\"password\":\"wrong-password\"}"));
        kinds.add(i -> post("/api/users", "{\"name\":\"Flood\",\"email\":\"flood" + i + "@example.com\",\"password\":\"long-enough-1\"}"));
        // ids, numbers, parameters
        kinds.add(i -> get("/api/products/not-an-id").build());
        kinds.add(i -> get("/api/products/" + "f".repeat(24)).build());
        kinds.add(i -> get("/api/products?page=0x10").build());
        kinds.add(i -> get("/api/products?size=100000000000000000000").build());
        kinds.add(i -> get("/api/products?page=-1&size=0").build());
        kinds.add(i -> get("/api/products?ids=" + String.join(",", java.util.Collections.nCopies(101, product))).build());
        kinds.add(i -> get("/api/products?sort=%24where").build());
        kinds.add(i -> get("/api/users?sort=email").header("Authorization", "Bearer " + token).build());
        kinds.add(i -> get("/api/products?populate=userId.cart.items.productId.userId.cart").build());
        kinds.add(i -> get("/api/products?populate=((((").build());
        // lists: the largest a signed-in stranger may ask for, and options that make no sense
        kinds.add(i -> get("/api/users?page=0&size=100&populate=products%5Blimit%3D100%5D,products.userId.products%5Bcount%5D")
                .header("Authorization", "Bearer " + token).build());
        kinds.add(i -> get("/api/users/" + me + "?populate=products%5Blimit%3D101%3Bsort%3D%24where%5D")
                .header("Authorization", "Bearer " + token).build());
        kinds.add(i -> get("/api/products?populate=userId%5Blimit%3D3%5D%5B%5B").build());
        // conditional requests with tags of every shape
        kinds.add(i -> get("/api/products").header("If-None-Match", i % 2 == 0 ? "*" : "W/\"" + junkTag + "\", \"x\"").build());
        // writes on what is not the caller's, with bad bodies
        kinds.add(i -> HttpRequest.newBuilder(URI.create(base() + "/api/users/" + me + "/cart/items"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"productId\":\"" + product + "\",\"quantity\":1e9}")).build());
        kinds.add(i -> HttpRequest.newBuilder(URI.create(base() + "/api/users/" + me))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"email\":\"x\u200b@example.com\"}")).build());
        // tokens: none, forged, expired, a service's
        kinds.add(i -> get("/api/users/" + me).build());
        kinds.add(i -> get("/api/users/" + me).header("Authorization", "Bearer " + TestSecurity.forgedUserToken(me)).build());
        kinds.add(i -> get("/api/users/" + me).header("Authorization", "Bearer " + TestSecurity.expiredUserToken(me)).build());
        kinds.add(i -> get("/api/users/" + me).header("Authorization", "Bearer not.a.jwt").build());
        // paths: internal, encoded, traversal, actuator writes, trailing slash
        kinds.add(i -> get("/internal/carts/items/" + product).build());
        kinds.add(i -> get("/api/users/..%2F..%2Finternal%2Fcarts").build());
        kinds.add(i -> get("/api/users/%2e%2e/internal/carts").build());
        kinds.add(i -> HttpRequest.newBuilder(URI.create(base() + "/actuator/circuitbreakers/user-service"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"updateState\":\"FORCE_OPEN\"}")).build());
        kinds.add(i -> get("/actuator/health").build());
        kinds.add(i -> get("/api/products/").build());
        kinds.add(i -> HttpRequest.newBuilder(URI.create(base() + "/api/products")).method("OPTIONS",
                HttpRequest.BodyPublishers.noBody()).build());
        kinds.add(i -> HttpRequest.newBuilder(URI.create(base() + "/api/products")).method("TRACE",
                HttpRequest.BodyPublishers.noBody()).build());
        // clients that hang up mid-request, on a read that populates
        kinds.add(i -> get("/api/users/" + me + "?populate=cart.items.productId.userId")
                .header("Authorization", "Bearer " + token).timeout(Duration.ofMillis(1 + i % 20)).build());
        // sizes of the request line and headers
        kinds.add(i -> get(longPath).build());
        kinds.add(i -> get("/api/products").header("X-Junk", junkHeader).build());
        return kinds;
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(60)).GET();
    }

    private HttpRequest post(String path, String body) {
        return HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpRequest postBytes(String path, byte[] body, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder.build();
    }

    private static boolean isOversize(HttpRequest request) {
        return request.bodyPublisher().map(publisher -> publisher.contentLength() > 64 * 1024).orElse(false);
    }

    /** A JSON object of about {@code size} bytes. */
    private static byte[] json(int size) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) 'a');
        byte[] head = "{\"name\":\"".getBytes();
        System.arraycopy(head, 0, bytes, 0, head.length);
        bytes[size - 2] = '"';
        bytes[size - 1] = '}';
        return bytes;
    }

    private static String abbreviate(String text) {
        return text == null || text.length() <= 160 ? text : text.substring(0, 160) + "…";
    }
}
