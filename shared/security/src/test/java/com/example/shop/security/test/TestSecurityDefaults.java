package com.example.shop.security.test;

import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * In tests only (registered by shop-security's test jar's {@code META-INF/spring.factories}): gives every
 * Spring context the keys of {@link TestSecurity}, ahead of the application's empty defaults, unless the
 * environment names keys of its own: the access-token keys, the service key of the application's own name
 * ({@code spring.application.name}), and every service's public key as the variables the applications'
 * configuration reads ({@code PRODUCT_SERVICE_PUBLIC_KEY}, ...), so each context trusts what its
 * configuration names.
 */
public class TestSecurityDefaults implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (System.getenv("JWT_PUBLIC_KEY") != null || System.getenv("SERVICE_PRIVATE_KEY") != null) {
            return;
        }
        Map<String, Object> keys = new HashMap<>(TestSecurity.servicePublicKeys());
        keys.put("shop.security.jwt.public-key", TestSecurity.publicKey());
        keys.put("shop.security.jwt.private-key", TestSecurity.privateKey());
        keys.put("shop.security.service.private-key",
                TestSecurity.servicePrivateKey(environment.getProperty("spring.application.name", "test")));
        environment.getPropertySources().addFirst(new MapPropertySource("test-security", keys));
    }
}
