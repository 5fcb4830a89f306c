package com.example.shop.user.product;

import java.net.URI;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** @param url base URL of product-service, such as {@code http://localhost:8082} */
@ConfigurationProperties("shop.product-service")
@Validated
public record ProductServiceProperties(@NotNull URI url) {
}
