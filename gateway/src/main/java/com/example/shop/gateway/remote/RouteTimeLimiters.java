package com.example.shop.gateway.remote;

import java.time.Duration;

import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;

/**
 * Each backend's time limiter for routed requests, {@code <backend>-route} (shop-remote's {@code BackendGuards}
 * takes it by that name), made of the route's time, {@code shop.backends.route-timeout}, the one setting that owns
 * it. The YAML names no such instance: one that did would be a second owner, and start-up refuses it.
 */
final class RouteTimeLimiters {

    private RouteTimeLimiters() {
    }

    /** Registers {@code <backend>-route} with {@code routeTimeout}, before the backend's guards look it up. */
    static TimeLimiter register(TimeLimiterRegistry registry, String backend, Duration routeTimeout) {
        String name = backend + "-route";
        if (registry.find(name).isPresent()) {
            throw new IllegalStateException("resilience4j.timelimiter.instances." + name + " is configured, but a "
                    + "route's time is shop.backends.route-timeout alone: remove the instance and set that instead");
        }
        return registry.timeLimiter(name, TimeLimiterConfig.custom()
                .timeoutDuration(routeTimeout)
                .cancelRunningFuture(true)
                .build());
    }
}
