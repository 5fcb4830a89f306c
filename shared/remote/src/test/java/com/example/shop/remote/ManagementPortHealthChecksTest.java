package com.example.shop.remote;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.cloud.client.DefaultServiceInstance;

import static org.assertj.core.api.Assertions.assertThat;

class ManagementPortHealthChecksTest {

    @Test
    void anInstanceIsCheckedOnItsPortPlusTheOffset() {
        var instance = new DefaultServiceInstance("user-service-0", "user-service", "users.example", 8081, false);
        assertThat(ManagementPortHealthChecks.managementUri(instance, 1000, null))
                .isEqualTo(URI.create("http://users.example:9081"));
    }

    @Test
    void itsManagementPortMetadataWins() {
        var instance = new DefaultServiceInstance("user-service-0", "user-service", "users.example", 8081, false,
                Map.of("management.port", "7001"));
        assertThat(ManagementPortHealthChecks.managementUri(instance, 1000, null))
                .isEqualTo(URI.create("http://users.example:7001"));
    }

    @Test
    void springsHealthCheckPortWinsOverBoth() {
        // spring.cloud.loadbalancer.health-check.port
        var instance = new DefaultServiceInstance("user-service-0", "user-service", "users.example", 8081, false,
                Map.of("management.port", "7001"));
        assertThat(ManagementPortHealthChecks.managementUri(instance, 1000, 9500))
                .isEqualTo(URI.create("http://users.example:9500"));
    }
}
