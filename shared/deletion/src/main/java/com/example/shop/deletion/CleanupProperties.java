package com.example.shop.deletion;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The sweep that finishes a deletion in another service ({@link TombstoneSweep}): in product-service the
 * cart cleanup after a product is deleted, in user-service the deletion of a deleted user's products.
 * Each process reads the same keys for its own sweep.
 *
 * @param sweepInterval  how often due tombstones are looked for (also once right at start-up)
 * @param initialBackoff the wait after the first failed attempt; it doubles with every further failure
 * @param maxBackoff     the longest wait between attempts
 * @param lease          how long a claimed tombstone stays reserved for the instance working on it;
 *                       longer than one attempt can take (all retries and time limits included)
 */
@ConfigurationProperties("shop.cleanup")
@Validated
public record CleanupProperties(
        @NotNull @DefaultValue("1s") Duration sweepInterval,
        @NotNull @DefaultValue("1s") Duration initialBackoff,
        @NotNull @DefaultValue("60s") Duration maxBackoff,
        @NotNull @DefaultValue("30s") Duration lease) {

    /** The wait after the {@code attempts}-th failed attempt: initial × 2^(attempts−1), at most max. */
    public Duration backoff(int attempts) {
        int doublings = Math.min(Math.max(attempts - 1, 0), 30);
        Duration wait = initialBackoff.multipliedBy(1L << doublings);
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
