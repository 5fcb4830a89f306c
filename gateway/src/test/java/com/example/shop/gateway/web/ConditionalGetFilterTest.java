package com.example.shop.gateway.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.WebFilterChain;

import com.example.shop.gateway.routing.PopulateGatewayFilterFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ConditionalGetFilter} over a chain that answers as a backend or a handler would (the services'
 * cache headers included): which answers get a tag, which requests a 304, and what the rest keeps.
 */
class ConditionalGetFilterTest {

    static final String BODY = "{\"id\":\"b1\",\"title\":\"lamp\",\"price\":19.90}";

    static final int LIMIT = 64;

    final ConditionalGetFilter filter = new ConditionalGetFilter(new ConditionalGetProperties(DataSize.ofBytes(LIMIT)),
            AnswerMemory.unbounded());

    /** The answer: this status and body, written in these parts, with the services' Spring Security cache headers. */
    static WebFilterChain answering(HttpStatus status, String... parts) {
        return exchange -> {
            ServerHttpResponse response = exchange.getResponse();
            response.setStatusCode(status);
            HttpHeaders headers = response.getHeaders();
            headers.setContentType(MediaType.APPLICATION_JSON);
            headers.setCacheControl("no-cache, no-store, max-age=0, must-revalidate");
            headers.setPragma("no-cache");
            headers.set(HttpHeaders.EXPIRES, "0");
            return response.writeWith(Flux.fromArray(parts)
                    .map(part -> DefaultDataBufferFactory.sharedInstance.wrap(part.getBytes(StandardCharsets.UTF_8))));
        };
    }

    static MockServerWebExchange get(String... ifNoneMatch) {
        return MockServerWebExchange.from(MockServerHttpRequest.get("/api/products/b1").ifNoneMatch(ifNoneMatch));
    }

    /** The tag by its definition: the first 128 bits of the SHA-256 of the bytes, base64url, quoted. */
    static String tag(String body) throws Exception {
        byte[] sha256 = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
        return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(sha256, 16)) + "\"";
    }

    private MockServerHttpResponse run(MockServerWebExchange exchange, WebFilterChain chain) {
        filter.filter(exchange, chain).as(StepVerifier::create).verifyComplete();
        return exchange.getResponse();
    }

    private static String body(MockServerHttpResponse response) {
        return response.getBodyAsString().defaultIfEmpty("").block();
    }

    @Test
    void aGetsAnswerCarriesTheStrongTagOfItsBytesAndMayBeKeptIfRevalidated() throws Exception {
        MockServerHttpResponse response = run(get(), answering(HttpStatus.OK, BODY));

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(body(response)).isEqualTo(BODY);
        HttpHeaders headers = response.getHeaders();
        assertThat(headers.getETag()).isEqualTo(tag(BODY)).matches("\"[A-Za-z0-9_-]{22}\"");
        assertThat(headers.getCacheControl()).isEqualTo("no-cache");
        assertThat(headers.getVary()).containsExactly(HttpHeaders.AUTHORIZATION);
        assertThat(headers.containsHeader(HttpHeaders.PRAGMA)).isFalse();
        assertThat(headers.containsHeader(HttpHeaders.EXPIRES)).isFalse();
    }

    @Test
    void anAuthenticatedCallersAnswerIsPrivateAndVariesByAuthorizationBesidesWhatItVariedBy() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/users/a1")
                .header(HttpHeaders.AUTHORIZATION, "Bearer token"));
        WebFilterChain chain = answering(HttpStatus.OK, BODY);

        MockServerHttpResponse response = run(exchange, ex -> {
            ex.getResponse().getHeaders().setVary(List.of(HttpHeaders.ORIGIN));
            return chain.filter(ex);
        });

        assertThat(response.getHeaders().getCacheControl()).isEqualTo("no-cache, private");
        assertThat(response.getHeaders().getVary()).containsExactly(HttpHeaders.ORIGIN, HttpHeaders.AUTHORIZATION);
    }

    @Test
    void theTagIsOfTheBytesHoweverTheyArriveAndChangesWithThem() throws Exception {
        MockServerHttpResponse inParts = run(get(), answering(HttpStatus.OK, BODY.substring(0, 10), BODY.substring(10)));
        MockServerHttpResponse changed = run(get(), answering(HttpStatus.OK, BODY.replace("19.90", "19.91")));

        assertThat(body(inParts)).isEqualTo(BODY);
        assertThat(inParts.getHeaders().getETag()).isEqualTo(tag(BODY));
        assertThat(changed.getHeaders().getETag()).isNotEqualTo(tag(BODY));
    }

    @ParameterizedTest
    @ValueSource(strings = {"%s", "W/%s", "\"other\", %s", "\"other\",W/%s", "*"})
    void ifNoneMatchNamingTheCurrentTagIsA304WithTheTagAndNoBody(String ifNoneMatch) throws Exception {
        MockServerHttpResponse response = run(get(ifNoneMatch.formatted(tag(BODY))), answering(HttpStatus.OK, BODY));

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.NOT_MODIFIED);
        assertThat(body(response)).isEmpty();
        HttpHeaders headers = response.getHeaders();
        assertThat(headers.getETag()).isEqualTo(tag(BODY));
        assertThat(headers.getCacheControl()).isEqualTo("no-cache");
        assertThat(headers.getVary()).containsExactly(HttpHeaders.AUTHORIZATION);
        assertThat(headers.containsHeader(HttpHeaders.CONTENT_LENGTH)).isFalse();
        assertThat(headers.containsHeader(HttpHeaders.CONTENT_TYPE)).isFalse();
    }

    @Test
    void anOlderTagGetsTheAnswerWithTheNewTag() throws Exception {
        MockServerHttpResponse response = run(get("\"older\"", "W/\"oldest\""), answering(HttpStatus.OK, BODY));

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(body(response)).isEqualTo(BODY);
        assertThat(response.getHeaders().getETag()).isEqualTo(tag(BODY));
    }

    @Test
    void theConditionIsTheGatewaysToAnswerAndNotForwarded() {
        AtomicReference<HttpHeaders> forwarded = new AtomicReference<>();
        WebFilterChain chain = answering(HttpStatus.OK, BODY);

        run(get("*"), exchange -> {
            forwarded.set(exchange.getRequest().getHeaders());
            return chain.filter(exchange);
        });

        assertThat(forwarded.get().containsHeader(HttpHeaders.IF_NONE_MATCH)).isFalse();
    }

    @Test
    void anotherSuccessIsTaggedButNeverA304() throws Exception {
        MockServerHttpResponse response = run(get("*"), answering(HttpStatus.NON_AUTHORITATIVE_INFORMATION, BODY));

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.NON_AUTHORITATIVE_INFORMATION);
        assertThat(body(response)).isEqualTo(BODY);
        assertThat(response.getHeaders().getETag()).isEqualTo(tag(BODY));
    }

    @Test
    void aPartialAnswerHasNoTagIsNeverA304AndKeepsItsCacheHeaders() {
        WebFilterChain chain = answering(HttpStatus.OK, BODY);

        MockServerHttpResponse response = run(get("*"), exchange -> {
            exchange.getAttributes().put(ConditionalGetFilter.PARTIAL_ATTRIBUTE, Boolean.TRUE);
            return chain.filter(exchange);
        });

        expectUntouched(response, HttpStatus.OK, BODY);
    }

    @Test
    void aPopulateUnresolvedHeaderOfTheAnswerIsNotWhatMakesItPartial() throws Exception {
        WebFilterChain chain = answering(HttpStatus.OK, BODY);

        MockServerHttpResponse response = run(get(), exchange -> {
            exchange.getResponse().getHeaders().set(PopulateGatewayFilterFactory.UNRESOLVED_HEADER, "userId");
            return chain.filter(exchange);
        });

        assertThat(response.getHeaders().getETag()).isEqualTo(tag(BODY));
    }

    @ParameterizedTest
    @ValueSource(ints = {404, 500, 503})
    void aFailureIsUntouched(int status) {
        expectUntouched(run(get("*"), answering(HttpStatus.valueOf(status), BODY)), HttpStatus.valueOf(status), BODY);
    }

    @Test
    void aWriteIsUntouched() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.method(HttpMethod.POST, "/api/products")
                .ifNoneMatch("*"));

        expectUntouched(run(exchange, answering(HttpStatus.OK, BODY)), HttpStatus.OK, BODY);
    }

    @Test
    void anAnswerDeclaredLargerThanTheBoundGoesOutUntagged() {
        String large = "x".repeat(LIMIT + 1);
        WebFilterChain chain = answering(HttpStatus.OK, large);

        MockServerHttpResponse response = run(get("*"), exchange -> {
            exchange.getResponse().getHeaders().setContentLength(large.length());
            return chain.filter(exchange);
        });

        expectUntouched(response, HttpStatus.OK, large);
    }

    @Test
    void aStreamedAnswerLargerThanTheBoundGoesOutWholeAndUntagged() {
        String part = "y".repeat(LIMIT / 2);
        String[] parts = {part, part, "z", part};

        expectUntouched(run(get("*"), answering(HttpStatus.OK, parts)), HttpStatus.OK, String.join("", parts));
    }

    @Test
    void anAnswerTheMemoryForAnswersCannotHoldGoesOutWholeAndUntaggedAndGivesItsPartsBack() {
        AnswerMemory memory = new AnswerMemory(LIMIT / 2, Duration.ofSeconds(1),
                new SimpleMeterRegistry());
        ConditionalGetFilter bounded = new ConditionalGetFilter(new ConditionalGetProperties(DataSize.ofBytes(LIMIT)), memory);
        String part = "y".repeat(LIMIT / 4);
        String[] parts = {part, part, "z", part};
        MockServerWebExchange exchange = get("*");

        bounded.filter(exchange, answering(HttpStatus.OK, parts)).as(StepVerifier::create).verifyComplete();

        expectUntouched(exchange.getResponse(), HttpStatus.OK, String.join("", parts));
        assertThat(memory.used()).isZero();
    }

    @Test
    void anAnswerPopulateHasReservedIsNotReservedAgain() throws Exception {
        AnswerMemory memory = new AnswerMemory(1, Duration.ofSeconds(1),
                new SimpleMeterRegistry());
        ConditionalGetFilter bounded = new ConditionalGetFilter(new ConditionalGetProperties(DataSize.ofBytes(LIMIT)), memory);
        MockServerWebExchange exchange = get();
        exchange.getAttributes().put(AnswerMemory.RESERVED_ATTRIBUTE, Boolean.TRUE);

        bounded.filter(exchange, answering(HttpStatus.OK, BODY)).as(StepVerifier::create).verifyComplete();

        assertThat(exchange.getResponse().getHeaders().getETag()).isEqualTo(tag(BODY));
    }

    @Test
    void anEmptyAnswerIsTaggedToo() throws Exception {
        MockServerHttpResponse response = run(get(), answering(HttpStatus.OK));

        assertThat(response.getHeaders().getETag()).isEqualTo(tag(""));
    }

    private static void expectUntouched(MockServerHttpResponse response, HttpStatus status, String body) {
        assertThat(response.getStatusCode()).isEqualTo(status);
        assertThat(body(response)).isEqualTo(body);
        HttpHeaders headers = response.getHeaders();
        assertThat(headers.getETag()).isNull();
        assertThat(headers.getCacheControl()).isEqualTo("no-cache, no-store, max-age=0, must-revalidate");
        assertThat(headers.getPragma()).isEqualTo("no-cache");
        assertThat(headers.containsHeader(HttpHeaders.VARY)).isFalse();
    }
}
