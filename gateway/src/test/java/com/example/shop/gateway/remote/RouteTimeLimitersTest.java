package com.example.shop.gateway.remote;

import java.time.Duration;
import java.util.Map;

import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** A route's time limiter is made of {@code shop.backends.route-timeout}, its one owner, and of nothing else. */
class RouteTimeLimitersTest {

    @Test
    void aBackendsRouteTimeLimiterIsTheRoutesTime() {
        TimeLimiterRegistry registry = TimeLimiterRegistry.ofDefaults();

        RouteTimeLimiters.register(registry, "user-service", Duration.ofSeconds(7));

        assertThat(registry.find("user-service-route")).get()
                .satisfies(limiter -> assertThat(limiter.getTimeLimiterConfig().getTimeoutDuration())
                        .isEqualTo(Duration.ofSeconds(7)));
    }

    @Test
    void aRouteTimeLimiterConfiguredElsewhereIsRefused() {
        TimeLimiterRegistry registry = TimeLimiterRegistry.of(Map.of());
        registry.timeLimiter("user-service-route", TimeLimiterConfig.custom().timeoutDuration(Duration.ofSeconds(2)).build());

        assertThatIllegalStateException()
                .isThrownBy(() -> RouteTimeLimiters.register(registry, "user-service", Duration.ofSeconds(7)))
                .withMessageContaining("shop.backends.route-timeout");
    }
}
