package com.example.shop.gateway.cache;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The populate step's entity cache ({@link PopulateCache}).
 *
 * @param ttl        how long a looked-up document (or the answer that it does not exist) is served from the
 *                   cache, counted from the start of the lookup that brought it; {@code 0} turns the cache off
 *                   ({@code SHOP_POPULATE_CACHE_TTL})
 * @param maxSize    the most memory the entries may take, one per resource, id and viewer, each weighed by the
 *                   memory its document takes ({@code SHOP_POPULATE_CACHE_MAX_SIZE}): bounded by bytes, not by
 *                   count, since a product may hold 5,000 characters of description
 */
@ConfigurationProperties("shop.populate.cache")
@Validated
public record PopulateCacheProperties(
        @DefaultValue("1s") @NotNull @DurationMin(millis = 0) Duration ttl,
        @DefaultValue("8MB") @NotNull DataSize maxSize) {
}
