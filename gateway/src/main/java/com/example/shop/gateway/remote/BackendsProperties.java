package com.example.shop.gateway.remote;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

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
 *                      instance it went to cannot be reached or drops the connection
 */
@ConfigurationProperties("shop.backends")
@Validated
public record BackendsProperties(@DefaultValue("4MB") @NotNull DataSize maxLookupSize,
        @DefaultValue("2") @Min(0) @Max(5) int routeRetries) {
}
