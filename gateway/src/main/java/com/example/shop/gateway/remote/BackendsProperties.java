package com.example.shop.gateway.remote;

import java.net.URI;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Where the backends are.
 *
 * @param userService    user-service ({@code USER_SERVICE_URL})
 * @param productService product-service ({@code PRODUCT_SERVICE_URL})
 * @param maxLookupSize  the largest answer to one batch lookup the gateway reads
 */
@ConfigurationProperties("shop.backends")
@Validated
public record BackendsProperties(@NotNull @Valid Backend userService, @NotNull @Valid Backend productService,
        @DefaultValue("4MB") @NotNull DataSize maxLookupSize) {

    /** @param url base URL, such as {@code http://localhost:8081} */
    public record Backend(@NotNull URI url) {
    }
}
