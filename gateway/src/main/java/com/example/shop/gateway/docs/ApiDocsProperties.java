package com.example.shop.gateway.docs;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The public API's document ({@link ApiDocument}).
 *
 * @param refresh how long the document is served as it was built before a request has it built again from
 *                the services' documents (in the background: that request and those meanwhile get the one kept)
 */
@ConfigurationProperties("shop.api-docs")
@Validated
public record ApiDocsProperties(@DefaultValue("30s") @NotNull Duration refresh) {
}
