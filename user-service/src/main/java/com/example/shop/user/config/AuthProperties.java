package com.example.shop.user.config;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Sign-in settings, {@code shop.auth.*}. The token settings (key, issuer, audience, lifetime) are the
 * shared {@code shop.security.jwt.*}, because every process checks the tokens user-service signs.
 *
 * @param password how passwords are hashed
 * @param throttle how failed sign-ins for one email are limited
 * @param hashing  how many password hashes may run and wait at once
 */
@ConfigurationProperties("shop.auth")
@Validated
public record AuthProperties(@DefaultValue @Valid Password password, @DefaultValue @Valid Throttle throttle,
        @DefaultValue @Valid Hashing hashing) {

    /**
     * Argon2id parameters. The defaults are Spring Security's {@code defaultsForSpringSecurity_v5_8()};
     * changing them affects new hashes only (each hash records its own parameters, so old ones still verify).
     *
     * @param memory      memory cost in KiB (at least 8 per lane)
     * @param iterations  time cost: passes over the memory
     * @param parallelism lanes
     * @param saltLength  random salt per hash, in bytes
     * @param hashLength  length of the hash, in bytes
     */
    public record Password(
            @DefaultValue("16384") @Min(8) int memory,
            @DefaultValue("2") @Min(1) int iterations,
            @DefaultValue("1") @Min(1) @Max(16) int parallelism,
            @DefaultValue("16") @Min(8) int saltLength,
            @DefaultValue("32") @Min(16) int hashLength) {

        public Password {
            if (memory < 8 * parallelism) {
                throw new IllegalArgumentException("shop.auth.password.memory must be at least 8 KiB per lane (parallelism "
                        + parallelism + "), not " + memory);
            }
        }
    }

    /**
     * @param maxFailures attempts for one email that may fail within a window; every further attempt in
     *                    that window, even with the right password, is refused with 429
     * @param window      how long a window lasts, from the first attempt counted in it
     */
    public record Throttle(
            @DefaultValue("5") @Min(1) int maxFailures,
            @DefaultValue("15m") @NotNull Duration window) {
    }

    /**
     * The bound on password hashing (sign-up, sign-in, and the decoy check for an unknown email): each
     * hash takes {@code password.memory} of heap and a core for its duration, so at most
     * {@code concurrency} run at once and at most {@code queue} more wait for a turn; any further request
     * is refused at once with 503 and {@code Retry-After}, before it costs anything.
     *
     * @param concurrency hashes that may run at once; 0 (the default) means the number of available processors
     * @param queue       requests that may wait for a turn; 0 refuses every request that finds all running
     */
    public record Hashing(
            @DefaultValue("0") @Min(0) @Max(256) int concurrency,
            @DefaultValue("16") @Min(0) @Max(10_000) int queue) {

        public Hashing {
            concurrency = concurrency == 0 ? Runtime.getRuntime().availableProcessors() : concurrency;
        }
    }
}
