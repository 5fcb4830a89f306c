package com.example.shop.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import com.example.shop.security.test.TestSecurity;

import static org.assertj.core.api.Assertions.assertThat;

class VerifiedTokensTest {

    private static final String ADA = "6b0a00000000000000000001";

    private static final String BOB = "6b0a00000000000000000002";

    /** The time of the claim rules (and, where a test says so, of the cache). */
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());

    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    /** The cache's clock following {@link #clock}. */
    private final Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());

    /** The claim rules as every process has them (expiry with 60 s of skew, issuer), on the test's clock. */
    private final OAuth2TokenValidator<Jwt> rules = rules(clock);

    /** How many times the whole verification (parse, signature, rules) ran. */
    private final AtomicInteger verifications = new AtomicInteger();

    private final ReactiveJwtDecoder verifying = counted(decoder(rules));

    @Test
    void theSameTokenTwiceIsVerifiedOnceAndCountedAsAHit() {
        VerifiedTokens tokens = new VerifiedTokens(verifying, rules, Duration.ofSeconds(60), 100, clock, ticker);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        tokens.bindTo(registry);
        String token = TestSecurity.userToken(ADA);

        Jwt first = tokens.decode(token).block();
        Jwt second = tokens.decode(token).block();

        assertThat(verifications).as("the signature is checked for the first only").hasValue(1);
        assertThat(second.getTokenValue()).isEqualTo(token);
        assertThat(second.getSubject()).isEqualTo(ADA);
        assertThat(second.getClaims()).isEqualTo(first.getClaims());
        assertThat(second.getHeaders()).isEqualTo(first.getHeaders());
        assertThat(registry.get("cache.gets").tag("cache", VerifiedTokens.NAME).tag("result", "hit")
                .functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("cache.gets").tag("cache", VerifiedTokens.NAME).tag("result", "miss")
                .functionCounter().count()).isEqualTo(1);
    }

    @Test
    void aKeptTokenPastItsExpIsRefusedAsBefore() {
        // the cache's own clock stands still, so the token is still kept when the rules' clock is past its exp
        VerifiedTokens tokens = new VerifiedTokens(verifying, rules, Duration.ofSeconds(60), 100, clock,
                Ticker.disabledTicker());
        String token = TestSecurity.userToken(ADA);
        StepVerifier.create(tokens.decode(token)).expectNextCount(1).verifyComplete();
        assertThat(tokens.size()).isEqualTo(1);

        now.set(now.get().plus(Duration.ofMinutes(17)));

        StepVerifier.create(tokens.decode(token)).verifyError(JwtValidationException.class);
        assertThat(verifications).as("refused by the decoder itself, as if never seen").hasValue(2);
        assertThat(tokens.size()).as("dropped").isZero();
        StepVerifier.create(tokens.decode(token)).verifyError(JwtValidationException.class);
        assertThat(verifications).hasValue(3);
    }

    @Test
    void aTokenIsKeptUntilItsExpAndNeverLongerThanTheTtl() {
        VerifiedTokens tokens = new VerifiedTokens(verifying, rules, Duration.ofSeconds(60), 100, clock, ticker);
        // valid for 15 minutes: kept 60 s, then verified again
        String token = TestSecurity.userToken(ADA);
        tokens.decode(token).block();
        now.set(now.get().plus(Duration.ofSeconds(59)));
        tokens.decode(token).block();
        assertThat(verifications).hasValue(1);
        now.set(now.get().plus(Duration.ofSeconds(2)));
        tokens.decode(token).block();
        assertThat(verifications).as("past the ttl: verified again").hasValue(2);

        // expiring in 30 s: kept until then only; past its exp (and the rules' skew) refused
        Instant issued = now.get().minus(Duration.ofMinutes(14)).minusSeconds(30);
        String shortLived = TestSecurity.userToken(BOB, issued);
        tokens.decode(shortLived).block();
        now.set(now.get().plus(Duration.ofSeconds(31)));
        assertThat(tokens.size()).as("only the first token is left").isEqualTo(1);
        now.set(now.get().plus(Duration.ofSeconds(90)));
        StepVerifier.create(tokens.decode(shortLived)).verifyError(JwtValidationException.class);
    }

    @Test
    void aForgedOrTamperedTokenIsRefusedEveryTimeAndNeverKept() {
        VerifiedTokens tokens = new VerifiedTokens(verifying, rules, Duration.ofSeconds(60), 100, clock, ticker);
        String valid = TestSecurity.userToken(ADA);
        String[] parts = valid.split("\\.");
        // Bob's claims under Ada's signature
        String tampered = TestSecurity.userToken(BOB).split("\\.")[1];
        List<String> refused = List.of(TestSecurity.forgedUserToken(ADA), parts[0] + "." + tampered + "." + parts[2],
                TestSecurity.expiredUserToken(ADA));

        for (int round = 1; round <= 3; round++) {
            for (String token : refused) {
                StepVerifier.create(Mono.defer(() -> tokens.decode(token))).expectError().verify();
            }
            StepVerifier.create(Mono.defer(() -> tokens.decode("not.a-token"))).verifyError(BadJwtException.class);
        }

        assertThat(verifications).as("each refused token verified each time it came").hasValue(12);
        assertThat(tokens.size()).isZero();
    }

    @Test
    void eachTokenGivesItsOwnClaims() {
        VerifiedTokens tokens = new VerifiedTokens(verifying, rules, Duration.ofSeconds(60), 100, clock, ticker);
        String ada = TestSecurity.userToken(ADA);
        String bob = TestSecurity.userToken(BOB);

        for (int round = 0; round < 3; round++) {
            assertThat(tokens.decode(ada).block()).satisfies(jwt -> {
                assertThat(jwt.getSubject()).isEqualTo(ADA);
                assertThat(jwt.getTokenValue()).isEqualTo(ada);
            });
            assertThat(tokens.decode(bob).block()).satisfies(jwt -> {
                assertThat(jwt.getSubject()).isEqualTo(BOB);
                assertThat(jwt.getTokenValue()).isEqualTo(bob);
            });
        }
        assertThat(verifications).hasValue(2);
    }

    @Test
    void atMostMaxSizeTokensAreKept() {
        VerifiedTokens tokens = new VerifiedTokens(verifying, rules, Duration.ofSeconds(60), 2, clock, ticker);
        for (int user = 1; user <= 5; user++) {
            tokens.decode(TestSecurity.userToken("6b0a0000000000000000000" + user)).block();
        }
        assertThat(tokens.size()).isEqualTo(2);
    }

    @Test
    void aProcessKeepsTheTokensItVerifiedUnlessTheSettingSaysNone() {
        SecurityProperties properties = new SecurityProperties(
                new SecurityProperties.Jwt(TestSecurity.publicKey(), null, TestSecurity.ISSUER, TestSecurity.AUDIENCE, null),
                new SecurityProperties.Service(null, Map.of("gateway", TestSecurity.servicePublicKey("gateway")), null));
        String user = TestSecurity.userToken(ADA);
        String service = TestSecurity.serviceToken("gateway");

        ReactiveJwtDecoder kept = ShopSecurityAutoConfiguration.tokens(properties,
                new VerifiedTokensProperties(Duration.ofSeconds(60), 100)).decoder();
        assertThat(kept.decode(user).block()).as("the same Jwt: kept").isSameAs(kept.decode(user).block());
        assertThat(kept.decode(service).block()).isSameAs(kept.decode(service).block());

        for (VerifiedTokensProperties none : List.of(new VerifiedTokensProperties(Duration.ZERO, 100),
                new VerifiedTokensProperties(Duration.ofSeconds(60), 0))) {
            ReactiveJwtDecoder notKept = ShopSecurityAutoConfiguration.tokens(properties, none).decoder();
            assertThat(notKept).isNotInstanceOf(VerifiedTokens.class);
            assertThat(notKept.decode(user).block()).as("verified anew").isNotSameAs(notKept.decode(user).block());
        }
    }

    /** The claim rules every process applies to access tokens, but with {@code clock}. */
    static OAuth2TokenValidator<Jwt> rules(Clock clock) {
        JwtTimestampValidator timestamps = new JwtTimestampValidator();
        timestamps.setClock(clock);
        return new DelegatingOAuth2TokenValidator<>(timestamps, new JwtIssuerValidator(TestSecurity.ISSUER));
    }

    /** The whole verification of access tokens: parse, RS256 with the test key, {@code rules}. */
    static ReactiveJwtDecoder decoder(OAuth2TokenValidator<Jwt> rules) {
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder
                .withPublicKey(Keys.rsaPublicKey(TestSecurity.publicKey(), "JWT_PUBLIC_KEY")).build();
        decoder.setJwtValidator(rules);
        return decoder;
    }

    private ReactiveJwtDecoder counted(ReactiveJwtDecoder decoder) {
        return token -> {
            verifications.incrementAndGet();
            return decoder.decode(token);
        };
    }
}
