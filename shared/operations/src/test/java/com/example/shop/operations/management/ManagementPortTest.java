package com.example.shop.operations.management;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ManagementPortTest {

    private static Integer managementPort(MockEnvironment environment) {
        ManagementPort.applyDefault(environment);
        return environment.getProperty("management.server.port", Integer.class);
    }

    @Test
    void byDefaultTheActuatorIsOnTheServerPortPlus1000() {
        assertThat(managementPort(new MockEnvironment().withProperty("server.port", "8081"))).isEqualTo(9081);
        assertThat(managementPort(new MockEnvironment())).as("Boot's default server port").isEqualTo(9080);
    }

    @Test
    void aRandomServerPortGetsARandomManagementPort() {
        assertThat(managementPort(new MockEnvironment().withProperty("server.port", "0"))).isZero();
    }

    @Test
    void theOffsetCanBeChanged() {
        assertThat(managementPort(new MockEnvironment().withProperty("server.port", "8081")
                .withProperty("shop.management.port-offset", "100"))).isEqualTo(8181);
    }

    @Test
    void aConfiguredManagementPortIsKept() {
        assertThat(managementPort(new MockEnvironment().withProperty("server.port", "8081")
                .withProperty("management.server.port", "7000"))).isEqualTo(7000);
        assertThat(managementPort(new MockEnvironment().withProperty("server.port", "8081")
                .withProperty("management.server.port", ""))).as("MANAGEMENT_PORT empty: the default").isEqualTo(9081);
    }

    @Test
    void theManagementPortMayNotBeThePublicPort() {
        assertThatIllegalStateException().isThrownBy(() -> managementPort(new MockEnvironment()
                        .withProperty("server.port", "8081").withProperty("management.server.port", "8081")))
                .withMessageContaining("port of its own");
    }
}
