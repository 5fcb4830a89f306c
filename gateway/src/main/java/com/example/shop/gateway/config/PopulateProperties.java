package com.example.shop.gateway.config;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * @param maxDepth    the most references one populate path may follow in a row ({@code POPULATE_MAX_DEPTH})
 * @param budget      the time the whole populate step of a request may take; after it the response goes out
 *                    with what has arrived ({@code POPULATE_BUDGET})
 * @param batchSize   the most ids in one lookup; the services accept up to 100
 * @param maxBodySize the largest backend response the gateway will populate
 */
@ConfigurationProperties("shop.populate")
@Validated
public record PopulateProperties(
        @DefaultValue("3") @Min(1) @Max(10) int maxDepth,
        @DefaultValue("3s") @NotNull Duration budget,
        @DefaultValue("100") @Min(1) @Max(100) int batchSize,
        @DefaultValue("8MB") @NotNull DataSize maxBodySize) {
}
