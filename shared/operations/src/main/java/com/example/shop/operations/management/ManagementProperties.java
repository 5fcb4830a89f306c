package com.example.shop.operations.management;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the actuator runs: every process serves it on a management port of its own, by default its
 * {@code server.port} plus {@code portOffset} (8081 → 9081), unless {@code management.server.port}
 * ({@code MANAGEMENT_PORT}) names one. The same convention tells a caller where to send the readiness
 * checks of the instances it calls (their port plus {@code portOffset}).
 */
@ConfigurationProperties("shop.management")
public record ManagementProperties(@DefaultValue("1000") int portOffset) {
}
