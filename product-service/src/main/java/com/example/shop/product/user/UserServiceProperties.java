package com.example.shop.product.user;

import java.net.URI;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** @param url base URL of user-service, such as {@code http://localhost:8081} */
@ConfigurationProperties("shop.user-service")
@Validated
public record UserServiceProperties(@NotNull URI url) {
}
