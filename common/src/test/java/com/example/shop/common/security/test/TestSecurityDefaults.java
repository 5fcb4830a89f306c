package com.example.shop.common.security.test;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * In tests only (registered by the common test jar's {@code META-INF/spring.factories}): gives every
 * Spring context the keys of {@link TestSecurity}, ahead of the application's empty defaults, unless the
 * environment names keys of its own.
 */
public class TestSecurityDefaults implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (System.getenv("JWT_PUBLIC_KEY") != null || System.getenv("SERVICE_SECRET") != null) {
            return;
        }
        environment.getPropertySources().addFirst(new MapPropertySource("test-security", Map.of(
                "shop.security.jwt.public-key", TestSecurity.publicKey(),
                "shop.security.jwt.private-key", TestSecurity.privateKey(),
                "shop.security.service.secret", TestSecurity.serviceSecret())));
    }
}
