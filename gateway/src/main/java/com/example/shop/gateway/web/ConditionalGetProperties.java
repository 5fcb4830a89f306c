package com.example.shop.gateway.web;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the gateway's conditional GETs ({@link ConditionalGetFilter}).
 *
 * @param maxBodySize the largest answer the gateway holds to tag it; a larger one goes out as it comes,
 *                    without an {@code ETag}
 */
@ConfigurationProperties("shop.gateway.conditional-get")
@Validated
public record ConditionalGetProperties(@DefaultValue("8MB") @NotNull DataSize maxBodySize) {
}
