package com.example.shop.gateway.remote;

import java.time.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How the gateway calls its backends. Where they run is {@code shop.remote.<backend>} (shop-remote's
 * {@code RemoteServicesProperties}: {@code USER_SERVICE_URL}, {@code PRODUCT_SERVICE_URL}, each one URL
 * or several, comma-separated).
 *
 * @param maxLookupSize the largest answer to one batch lookup the gateway reads
 * @param routeRetries  how many more times a proxied GET is sent, to another instance, when the
 *                      instance it went to cannot be reached or drops the connection; the attempts share the
 *                      route's time ({@code routeTimeout}), they add none of their own
 * @param routeTimeout  a routed request's time, the one setting that owns it ({@code SHOP_BACKENDS_ROUTE_TIMEOUT}):
 *                      the time the backend has for its status line and headers, every attempt of the route's retry
 *                      included (each backend's resilience4j time limiter {@code <backend>-route} is made of it), and
 *                      for each wait for the next part of its body (the HTTP client's read timeout,
 *                      {@code ResponseTimeoutConfiguration}). Past it, a 504 naming the backend, or, once some of the
 *                      answer has gone out, the answer cut off. A populated request's reading of the answer and its
 *                      lookups have the populate budget ({@code shop.populate.budget}) within it
 */
@ConfigurationProperties("shop.backends")
@Validated
public record BackendsProperties(@DefaultValue("4MB") @NotNull DataSize maxLookupSize,
        @DefaultValue("2") @Min(0) @Max(5) int routeRetries,
        @DefaultValue("10s") @NotNull @DurationMin(millis = 1) Duration routeTimeout) {
}
