package com.example.shop.user;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.micrometer.core.instrument.MeterRegistry;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import com.example.shop.security.Keys;
import com.example.shop.security.test.TestSecurity;
import com.example.shop.user.auth.domain.AuthService;
import com.example.shop.user.auth.domain.LoginAttempts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Sign-in: the token and its key set, the refusals, and the throttle on failed attempts. */
class AuthApiTest extends ApiTestSupport {

    @Autowired
    MeterRegistry meters;

    // ---- tokens and keys

    @Test
    void signInGivesAnRs256AccessTokenThatTheJwkSetVerifies() throws Exception {
        String id = createUser("Ada", "ada@example.com");
        Map<String, Object> response = signIn(" ADA@example.com ", PASSWORD)
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectHeader().cacheControl(CacheControl.noStore())
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
                }).returnResult().getResponseBody();
        assertThat(response).containsOnlyKeys("access_token", "token_type", "expires_in");
        assertThat(response).containsEntry("token_type", "Bearer").containsEntry("expires_in", 900);
        String token = (String) response.get("access_token");

        JWKSet keys = JWKSet.parse(web.get().uri("/auth/jwks").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
        // the key is chosen by the token's kid among the set's keys
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder
                .withJwkSource(jwt -> Flux.fromIterable(keys.getKeys())).build();
        decoder.decode(token).as(StepVerifier::create).assertNext(jwt -> {
            assertThat(jwt.getHeaders()).containsEntry("alg", "RS256").containsEntry("kid", keys.getKeys().get(0).getKeyID());
            assertThat(jwt.getClaimAsString("iss")).isEqualTo("shop-user-service");
            assertThat(jwt.getAudience()).containsExactly("shop-api");
            assertThat(jwt.getSubject()).isEqualTo(id);
            assertThat(jwt.getIssuedAt()).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
            assertThat(Duration.between(jwt.getIssuedAt(), jwt.getExpiresAt())).isEqualTo(Duration.ofMinutes(15));
        }).verifyComplete();

        // and it is accepted here as the user's own
        withToken(token).get().uri("/users/{id}", id).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.email").isEqualTo("ada@example.com");
    }

    @Test
    void theJwkSetHoldsOnlyThePublicKeyAtBothAddresses() throws Exception {
        String jwks = web.get().uri("/auth/jwks").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(String.class).returnResult().getResponseBody();
        String wellKnown = web.get().uri("/.well-known/jwks.json").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(JWKSet.parse(wellKnown).toJSONObject()).isEqualTo(JWKSet.parse(jwks).toJSONObject());

        Map<String, Object> key = ((List<Map<String, Object>>) JWKSet.parse(jwks).toJSONObject(false).get("keys")).get(0);
        assertThat(key).containsOnlyKeys("kty", "e", "n", "kid", "alg", "use")
                .containsEntry("kty", "RSA").containsEntry("alg", "RS256").containsEntry("use", "sig");
        RSAKey rsa = JWKSet.parse(jwks).getKeys().get(0).toRSAKey();
        assertThat(rsa.isPrivate()).isFalse();
        assertThat(rsa.toRSAPublicKey()).isEqualTo(Keys.rsaPublicKey(TestSecurity.publicKey(), "test"));
        assertThat(rsa.getKeyID()).isEqualTo(rsa.computeThumbprint().toString());
    }

    @Test
    void theKeySetIsAsOpenToHeadOptionsAndATrailingSlashAsToGet() {
        web.head().uri("/auth/jwks").exchange().expectStatus().isOk();
        web.options().uri("/auth/jwks").exchange().expectStatus().isOk()
                .expectHeader().value(HttpHeaders.ALLOW, allow -> assertThat(allow).contains("GET"));
        web.get().uri("/auth/jwks/").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.keys[0].kty").isEqualTo("RSA");
        web.head().uri("/.well-known/jwks.json").exchange().expectStatus().isOk();
    }

    @Test
    void theApiDocumentListsSignInAndTheKeySet() {
        web.get().uri("/v3/api-docs").exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.paths['/auth/token'].post").exists()
                .jsonPath("$.paths['/auth/jwks'].get").exists()
                .jsonPath("$.paths['/users'].post").exists();
    }

    // ---- refusals

    @Test
    void aWrongPasswordAndAnUnknownEmailGetTheSame401() {
        createUser("Bea", "bea@example.com");
        Map<String, Object> wrongPassword = refusal(signIn("bea@example.com", "not the password"));
        Map<String, Object> unknownEmail = refusal(signIn("nobody@example.com", PASSWORD));
        assertThat(wrongPassword).isEqualTo(unknownEmail);
        assertThat(wrongPassword).containsEntry("status", 401).containsEntry("detail", "Invalid email or password");
    }

    private Map<String, Object> refusal(WebTestClient.ResponseSpec response) {
        return response.expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().value(HttpHeaders.WWW_AUTHENTICATE, value -> assertThat(value).startsWith("Bearer"))
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
                }).returnResult().getResponseBody();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedSignIns")
    void malformedSignInsAre400AndAreNotCounted(String description, String body, String field) {
        expectProblem(web.post().uri("/auth/token").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange(),
                HttpStatus.BAD_REQUEST, field);
        assertThat(mongo.count(new Query(), LoginAttempts.class).block(Duration.ofSeconds(30))).isZero();
    }

    static Stream<Arguments> malformedSignIns() {
        return Stream.of(
                Arguments.of("missing email", "{\"password\":\"" + PASSWORD + "\"}", "email"),
                Arguments.of("blank email", "{\"email\":\"  \",\"password\":\"" + PASSWORD + "\"}", "email"),
                Arguments.of("missing password", "{\"email\":\"a@example.com\"}", "password"),
                Arguments.of("password not a string", "{\"email\":\"a@example.com\",\"password\":12345678}", "password"),
                Arguments.of("password longer than any accepted", "{\"email\":\"a@example.com\",\"password\":\""
                        + "p".repeat(129) + "\"}", "password"),
                Arguments.of("unknown field", "{\"email\":\"a@example.com\",\"password\":\"x\",\"grant_type\":\"password\"}",
                        "grant_type"),
                Arguments.of("malformed JSON", "{\"email\":", "body"),
                Arguments.of("NUL in email", "{\"email\":\"a\\u0000@example.com\",\"password\":\"x\"}", "email"),
                Arguments.of("zero-width space in email", "{\"email\":\"a\u200B@example.com\",\"password\":\"x\"}", "email"),
                Arguments.of("lone surrogate in email", "{\"email\":\"a\\uD800@example.com\",\"password\":\"x\"}", "email"));
    }

    @Test
    void aCompatibilityFormOfTheEmailSignsIntoTheSameAccount() {
        createUser("Ada", "ada@example.com");
        // fullwidth letters, upper case: NFKC then lower case gives the registered address
        signIn("\uFF41\uFF44\uFF41@\uFF25XAMPLE.com", PASSWORD).expectStatus().isOk();
    }

    // ---- passwords

    @Test
    void passwordsAreStoredOnlyAsSaltedArgon2idHashes() {
        String a = createUser("A", "a@example.com");
        String b = createUser("B", "b@example.com");
        Document first = mongo.findById(new ObjectId(a), Document.class, "users").block(Duration.ofSeconds(30));
        Document second = mongo.findById(new ObjectId(b), Document.class, "users").block(Duration.ofSeconds(30));
        assertThat(first).doesNotContainKey("password");
        // the test parameters (see src/test/resources/config/application.yml), recorded in the hash
        assertThat(first.getString("passwordHash")).startsWith("$argon2id$v=19$m=64,t=1,p=1$").doesNotContain(PASSWORD);
        // same password, different salt
        assertThat(second.getString("passwordHash")).isNotEqualTo(first.getString("passwordHash"));
        as(a).get().uri("/users/{id}", a).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.passwordHash").doesNotExist().jsonPath("$.password").doesNotExist();
    }

    // ---- throttle

    @Test
    void afterFiveFailuresEvenTheRightPasswordIs429WithRetryAfter() {
        createUser("Cy", "cy@example.com");
        for (int i = 1; i <= 5; i++) {
            signIn("cy@example.com", "wrong " + i).expectStatus().isUnauthorized();
        }
        // the count is in the store, with its window
        LoginAttempts stored = attempts("cy@example.com");
        assertThat(stored.attempts()).isEqualTo(5);
        assertThat(Duration.between(stored.windowStart(), stored.windowEnd())).isEqualTo(Duration.ofMinutes(15));

        EntityExchangeResult<byte[]> throttled = signIn("cy@example.com", PASSWORD)
                .expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(429)
                .jsonPath("$.access_token").doesNotExist()
                .returnResult();
        long retryAfter = Long.parseLong(throttled.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER));
        assertThat(retryAfter).isBetween(1L, 900L);
        // with the window's end as its end
        assertThat(Instant.now().plusSeconds(retryAfter)).isCloseTo(stored.windowEnd(), within(5, ChronoUnit.SECONDS));
        signIn("cy@example.com", "wrong again").expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
    }

    @Test
    void aSuccessBeforeTheLimitClearsTheCount() {
        createUser("Di", "di@example.com");
        for (int round = 0; round < 2; round++) {
            for (int i = 1; i <= 4; i++) {
                signIn("di@example.com", "wrong " + i).expectStatus().isUnauthorized();
            }
            assertThat(attempts("di@example.com").attempts()).isEqualTo(4);
            signIn("di@example.com", PASSWORD).expectStatus().isOk();
            assertThat(mongo.exists(Query.query(Criteria.where("_id").is("di@example.com")), LoginAttempts.class)
                    .block(Duration.ofSeconds(30))).isFalse();
        }
    }

    @Test
    void unknownEmailsAreCountedAndThrottledToo() {
        for (int i = 1; i <= 5; i++) {
            signIn("ghost@example.com", "guess " + i).expectStatus().isUnauthorized();
        }
        signIn("ghost@example.com", "guess 6").expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER);
        assertThat(attempts("ghost@example.com").attempts()).isEqualTo(6);
    }

    @Test
    void whenTheWindowHasClosedTheEmailMaySignInAgain() {
        createUser("Ed", "ed@example.com");
        for (int i = 1; i <= 5; i++) {
            signIn("ed@example.com", "wrong " + i).expectStatus().isUnauthorized();
        }
        signIn("ed@example.com", PASSWORD).expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        // 15 minutes later, as far as the store is concerned
        Instant past = Instant.now().minusSeconds(1);
        mongo.updateFirst(Query.query(Criteria.where("_id").is("ed@example.com")),
                new Update().set("windowStart", past.minus(Duration.ofMinutes(15))).set("windowEnd", past),
                LoginAttempts.class).block(Duration.ofSeconds(30));
        signIn("ed@example.com", "wrong once more").expectStatus().isUnauthorized();
        assertThat(attempts("ed@example.com").attempts()).as("a new window").isEqualTo(1);
        signIn("ed@example.com", PASSWORD).expectStatus().isOk();
    }

    @Test
    void concurrentWrongAttemptsNeverGetMoreThanTheLimitToThePasswordCheck() {
        createUser("Flo", "flo@example.com");
        double checkedBefore = outcomes("invalid_credentials");
        double throttledBefore = outcomes("throttled");
        WebClient client = WebClient.create("http://localhost:" + port);
        List<Integer> statuses = Flux.range(0, 30)
                .flatMap(i -> client.post().uri("/auth/token").contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("email", "flo@example.com", "password", "wrong " + i))
                        .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value())), 30)
                .collectList().block(Duration.ofSeconds(60));
        assertThat(statuses).hasSize(30).containsOnly(401, 429);
        assertThat(statuses).filteredOn(status -> status == 401).hasSize(5);
        // exactly five passwords were checked; the other 25 attempts never reached the check
        assertThat(outcomes("invalid_credentials") - checkedBefore).isEqualTo(5);
        assertThat(outcomes("throttled") - throttledBefore).isEqualTo(25);
        assertThat(attempts("flo@example.com").attempts()).isEqualTo(30);
    }

    // ---- helpers

    WebTestClient.ResponseSpec signIn(String email, String password) {
        return web.post().uri("/auth/token").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "password", password)).exchange();
    }

    LoginAttempts attempts(String email) {
        return mongo.findById(email, LoginAttempts.class).block(Duration.ofSeconds(30));
    }

    double outcomes(String outcome) {
        return meters.counter(AuthService.METRIC, "outcome", outcome).count();
    }
}
