package com.example.shop.gateway.config;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The per-client-address limit on sign-up and token requests ({@code POST /api/users}, {@code POST
 * /api/auth/token}, together), per gateway instance: a token bucket per address, holding {@code capacity}
 * requests, refilled at {@code capacity} per {@code period}, one at a time. The defaults, 10 at once and
 * 10 a minute, leave room for a household or an office behind one address signing up and in, and for a
 * mistyped password or two, while one address can make the services hash a password at most every 6 s
 * (user-service throttles failed sign-ins per email besides). The address is the connection's peer; a
 * proxy's {@code X-Forwarded-For} counts only if {@code server.forward-headers-strategy} says to trust it.
 *
 * @param capacity   requests an address may make at once
 * @param period     the time in which the bucket refills {@code capacity} requests
 * @param maxClients the most addresses whose buckets are kept; an address unseen for a {@code period} is
 *                   forgotten (its bucket would be full again anyway), and beyond this number the least
 *                   recently seen go first
 */
@ConfigurationProperties("shop.gateway.sign-in-limit")
@Validated
public record SignInLimitProperties(
        @DefaultValue("10") @Min(1) int capacity,
        @DefaultValue("1m") @NotNull Duration period,
        @DefaultValue("100000") @Min(1) long maxClients) {
}
