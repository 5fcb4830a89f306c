package com.example.shop.gateway.populate.cache;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The populate step's entity cache ({@link PopulateCache}).
 *
 * @param ttl        how long a looked-up document (or the answer that it does not exist) is served from the
 *                   cache, counted from the start of the lookup that brought it; {@code 0} turns the cache off
 *                   ({@code SHOP_POPULATE_CACHE_TTL})
 * @param maxEntries the most entries kept, one per resource, id and viewer ({@code SHOP_POPULATE_CACHE_MAX_ENTRIES})
 */
@ConfigurationProperties("shop.populate.cache")
@Validated
public record PopulateCacheProperties(
        @DefaultValue("1s") @NotNull @DurationMin(millis = 0) Duration ttl,
        @DefaultValue("10000") @Min(1) long maxEntries) {
}
