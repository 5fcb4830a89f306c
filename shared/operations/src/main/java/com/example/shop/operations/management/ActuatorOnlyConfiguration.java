package com.example.shop.operations.management;

import reactor.core.publisher.Mono;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.WebFilter;

/**
 * The management port serves the actuator and nothing else. WebFlux's management context sees the handler
 * mappings of the application's context (spring-boot#14012), so without this the API, its documents and
 * the gateway's routes would answer there too; any other path is a 404 before anything else runs.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
class ActuatorOnlyConfiguration {

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    WebFilter actuatorOnly(Environment environment) {
        String base = environment.getProperty("management.endpoints.web.base-path", "/actuator");
        return (exchange, chain) -> {
            String path = exchange.getRequest().getPath().pathWithinApplication().value();
            return path.equals(base) || path.startsWith(base + "/") ? chain.filter(exchange)
                    : Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND));
        };
    }
}
