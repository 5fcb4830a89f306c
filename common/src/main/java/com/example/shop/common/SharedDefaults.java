package com.example.shop.common;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;

import com.example.shop.common.management.ManagementPort;

/**
 * Adds {@code shop-defaults.yml} (the settings every service shares: store, health groups, metrics,
 * tracing, resilience4j defaults) as the environment's last property source, so a service's own
 * {@code application.yml}, environment variables and command-line arguments all override it. Then gives
 * the actuator its own port unless one is configured ({@link ManagementPort}).
 */
public class SharedDefaults implements EnvironmentPostProcessor, Ordered {

    static final String RESOURCE = "shop-defaults.yml";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        try {
            new YamlPropertySourceLoader().load("shop-defaults", new ClassPathResource(RESOURCE))
                    .forEach(source -> environment.getPropertySources().addLast(source));
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
        ManagementPort.applyDefault(environment);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
