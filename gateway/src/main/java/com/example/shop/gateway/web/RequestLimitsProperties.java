package com.example.shop.gateway.web;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How long the gateway waits for a request, and how many request bodies' bytes it holds at once
 * ({@link RequestDeadlines}, {@link BodyLimitFilter}). A kept-alive connection with no request begun is
 * closed after Boot's {@code server.netty.idle-timeout}.
 *
 * @param headerTimeout the time for a request line and its headers to arrive whole: from the connection's
 *                      opening for its first request, from the first byte of each later one (or the end of
 *                      the answer before it, for a request sent while that was on its way). Past it, 408
 *                      and the connection closed
 * @param bodyTimeout   the time for a request body to arrive whole, from the end of its headers. Past it,
 *                      408 and the connection closed
 * @param bodyBudget    the bytes of request bodies the gateway holds at once, all requests together (each
 *                      is read whole before it is routed: its declared length, or {@code shop.web.max-body-size}
 *                      for a streamed one, is set aside before a byte is read). A request that does not fit
 *                      is a 503 with {@code Retry-After}, nothing of it read. At least
 *                      {@code shop.web.max-body-size}
 */
@ConfigurationProperties("shop.gateway.requests")
@Validated
public record RequestLimitsProperties(
        @DefaultValue("10s") @NotNull @DurationMin(millis = 1) Duration headerTimeout,
        @DefaultValue("10s") @NotNull @DurationMin(millis = 1) Duration bodyTimeout,
        @DefaultValue("8MB") @NotNull DataSize bodyBudget) {
}
