package com.example.shop.remote;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How often a caller checks again the readiness of an instance it calls that was not ready ({@link ReadyInstances}):
 * a restarted instance gets calls within this of saying it is ready. A ready instance is checked every {@code
 * spring.cloud.loadbalancer.health-check.interval} (5 s, shop-defaults/remote.yml).
 */
@ConfigurationProperties("shop.readiness-checks")
@Validated
public record ReadinessCheckProperties(@DefaultValue("500ms") @NotNull Duration notReadyInterval) {

    public ReadinessCheckProperties {
        if (notReadyInterval != null && (notReadyInterval.isZero() || notReadyInterval.isNegative())) {
            throw new IllegalArgumentException("shop.readiness-checks.not-ready-interval must be positive");
        }
    }
}
