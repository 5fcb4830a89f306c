package com.example.shop.operations.management;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;

/**
 * Operations on the management port ({@link ManagementPort}): says at start-up where it is. (The load balancer's
 * readiness checks of called instances go to theirs: shop-remote's {@code ManagementPortHealthChecks}.)
 */
@AutoConfiguration
@EnableConfigurationProperties(ManagementProperties.class)
public class ManagementAutoConfiguration {

    @Bean
    ManagementPortLog managementPortLog(Environment environment) {
        return new ManagementPortLog(environment);
    }

    /** One line when the management server has started: its address and port, and what the public port lacks. */
    static class ManagementPortLog {

        private static final Logger log = LoggerFactory.getLogger(ManagementAutoConfiguration.class);

        private final Environment environment;

        ManagementPortLog(Environment environment) {
            this.environment = environment;
        }

        @EventListener
        void started(WebServerInitializedEvent event) {
            if ("management".equals(event.getApplicationContext().getServerNamespace())) {
                log.info("Management (actuator, read-only): http://{}:{}{} (MANAGEMENT_ADDRESS, MANAGEMENT_PORT); "
                                + "the public port {} serves the API and its documents only",
                        environment.getProperty("management.server.address", "0.0.0.0"), event.getWebServer().getPort(),
                        environment.getProperty("management.endpoints.web.base-path", "/actuator"),
                        environment.getProperty("local.server.port", "?"));
            }
        }
    }
}
