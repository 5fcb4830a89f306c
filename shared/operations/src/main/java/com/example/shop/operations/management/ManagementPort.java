package com.example.shop.operations.management;

import java.util.Map;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * The actuator never shares the public port: unless {@code management.server.port} is set, it is
 * {@code server.port} + {@code shop.management.port-offset} (1000), and 0 (a random port) when the server's is
 * (the tests); a management port equal to the public one is refused. Applied by
 * {@link com.example.shop.operations.SharedDefaults}, after the application's own configuration is read.
 */
public final class ManagementPort {

    static final String PROPERTY = "management.server.port";

    private ManagementPort() {
    }

    public static void applyDefault(ConfigurableEnvironment environment) {
        int serverPort = environment.getProperty("server.port", Integer.class, 8080);
        String configured = environment.getProperty(PROPERTY);
        if (StringUtils.hasText(configured)) {
            int port = Integer.parseInt(configured.trim());
            if (port == serverPort && port > 0) {
                throw new IllegalStateException("management.server.port (MANAGEMENT_PORT) is " + port
                        + ", the public port: the actuator must have a port of its own; leave it unset for "
                        + "server.port + shop.management.port-offset");
            }
            return;
        }
        int offset = Binder.get(environment).bindOrCreate("shop.management", Bindable.of(ManagementProperties.class))
                .portOffset();
        int port = serverPort <= 0 ? serverPort : serverPort + offset;
        if (port > 65535) {
            throw new IllegalStateException("server.port " + serverPort + " + shop.management.port-offset " + offset
                    + " is not a port: set management.server.port (MANAGEMENT_PORT)");
        }
        environment.getPropertySources().addFirst(new MapPropertySource("shop-management-port", Map.of(PROPERTY, port)));
    }
}
