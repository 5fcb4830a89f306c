package com.example.shop.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * A decoder with the tokens it verified lately in front of it (Caffeine), so that a caller who sends the same
 * token on many requests, or a peer's service token on every call, costs one signature check (RS256) and one
 * parse per {@code ttl} instead of one per request. The key is the exact token string; the value the {@link Jwt}
 * that the decoder made of it, so the claims a request sees are those of its own token, byte for byte.
 *
 * <p>What enters: only a token that passed the whole check (signature, issuer, claims); a forged, tampered,
 * expired or unknown token is checked again each time it comes and never takes a place, so distinct garbage
 * tokens cannot fill the cache. How long: until the token's {@code exp}, and never more than {@code ttl}. A hit
 * runs the claim rules (the clock's checks among them) again, and a token that fails them now is dropped and
 * checked by the decoder as if it had never been seen, so it is refused exactly as before. Nothing else can
 * revoke a token here (a deleted user's token stays valid until it expires, and the data, not the token, refuse
 * it), so a kept token answers as the decoder would. At most {@code maxSize} tokens, the least useful evicted
 * first.
 *
 * <p>Hits and misses are counted as Micrometer's {@code cache.gets} of {@value #NAME}.
 */
final class VerifiedTokens implements ReactiveJwtDecoder {

    /** The cache's name in its metrics ({@code cache="verified-tokens"}). */
    static final String NAME = "verified-tokens";

    private final ReactiveJwtDecoder decoder;

    private final OAuth2TokenValidator<Jwt> rules;

    private final Clock clock;

    private final Cache<String, Jwt> verified;

    /**
     * @param decoder the decoder that verifies a token: parse, signature and claim rules
     * @param rules   the claim rules of {@code decoder}, run again on each hit
     * @param ttl     the longest a verified token is kept (positive)
     * @param maxSize the most tokens kept
     * @param clock   the clock of {@code rules}: how long a token has until its {@code exp}
     * @param ticker  Caffeine's clock ({@link Ticker#systemTicker()} outside tests)
     */
    VerifiedTokens(ReactiveJwtDecoder decoder, OAuth2TokenValidator<Jwt> rules, Duration ttl, long maxSize,
            Clock clock, Ticker ticker) {
        this.decoder = decoder;
        this.rules = rules;
        this.clock = clock;
        long ttlNanos = ttl.toNanos();
        this.verified = Caffeine.newBuilder()
                .maximumSize(maxSize)
                .expireAfter(new Expiry<String, Jwt>() {
                    @Override
                    public long expireAfterCreate(String token, Jwt jwt, long currentTime) {
                        Instant expiresAt = jwt.getExpiresAt();
                        return expiresAt == null ? ttlNanos : Math.max(0, Math.min(ttlNanos,
                                Duration.between(VerifiedTokens.this.clock.instant(), expiresAt).toNanos()));
                    }

                    @Override
                    public long expireAfterUpdate(String token, Jwt jwt, long currentTime, long currentDuration) {
                        return expireAfterCreate(token, jwt, currentTime);
                    }

                    @Override
                    public long expireAfterRead(String token, Jwt jwt, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .ticker(ticker)
                .recordStats()
                .build();
    }

    @Override
    public Mono<Jwt> decode(String token) throws JwtException {
        Jwt known = verified.getIfPresent(token);
        if (known != null) {
            if (!rules.validate(known).hasErrors()) {
                return Mono.just(known);
            }
            verified.invalidate(token);
        }
        return decoder.decode(token).map(jwt -> remember(token, jwt));
    }

    /**
     * Keeps {@code jwt}, the token's characters held once (the key's, not the copy the parser joined again from
     * the token's parts), and answers the {@code Jwt} kept.
     */
    private Jwt remember(String token, Jwt jwt) {
        Jwt kept = token.equals(jwt.getTokenValue())
                ? new Jwt(token, jwt.getIssuedAt(), jwt.getExpiresAt(), jwt.getHeaders(), jwt.getClaims())
                : jwt;
        verified.put(token, kept);
        return kept;
    }

    /** Binds {@code cache.gets} (hits and misses), {@code cache.evictions}, {@code cache.size} of {@value #NAME}. */
    void bindTo(MeterRegistry registry) {
        CaffeineCacheMetrics.monitor(registry, verified, NAME);
    }

    /** How many tokens are kept now (after pending maintenance), for tests and the benchmark. */
    long size() {
        verified.cleanUp();
        return verified.estimatedSize();
    }
}
