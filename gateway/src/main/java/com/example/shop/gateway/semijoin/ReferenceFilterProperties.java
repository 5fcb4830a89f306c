package com.example.shop.gateway.semijoin;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import com.example.shop.web.filter.FilterParser;

/**
 * The filters through a reference ({@code /api/products?userId.name=eq.Ada}), {@code shop.api.reference-filters}.
 *
 * @param maxIds the most ids a filter through one path carries from its target to the page's service (the users
 *               named Ada, the owners of a product over 100); more is a 422 naming the filter and this bound, before
 *               the page's service is asked. At most {@value FilterParser#MAX_IDS}, as many as the services take in
 *               one filter of an id field.
 */
@ConfigurationProperties("shop.api.reference-filters")
@Validated
public record ReferenceFilterProperties(@DefaultValue("1000") @Min(1) @Max(FilterParser.MAX_IDS) int maxIds) {
}
