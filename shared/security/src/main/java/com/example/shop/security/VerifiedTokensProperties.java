package com.example.shop.security;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The bearer tokens each process keeps verified ({@link VerifiedTokens}), so that the same token is not
 * checked again (signature and parse) on every request.
 *
 * @param ttl     the longest a verified token is kept, never beyond its own {@code exp}; {@code 0} keeps none
 *                ({@code SHOP_SECURITY_VERIFIED_TOKENS_TTL})
 * @param maxSize the most tokens kept; {@code 0} keeps none ({@code SHOP_SECURITY_VERIFIED_TOKENS_MAX_SIZE}). A kept
 *                access token takes ~1.7 KB of heap (VerifiedTokensBenchmark), so 2,000 take ~3.4 MB of a service's
 *                96 MB heap; beyond them a token is verified on each request, as without the cache
 */
@ConfigurationProperties("shop.security.verified-tokens")
@Validated
public record VerifiedTokensProperties(
        @DefaultValue("60s") @NotNull @DurationMin(millis = 0) Duration ttl,
        @DefaultValue("2000") @Min(0) long maxSize) {

    /** Whether any token is kept. */
    public boolean enabled() {
        return !ttl.isZero() && !ttl.isNegative() && maxSize > 0;
    }
}
