package com.example.shop.product.config;

import org.junit.jupiter.api.Test;

import com.example.shop.testing.ConfigurationReference;

/**
 * The configuration reference (docs/configuration.md) names every setting of the @ConfigurationProperties records
 * on product-service's classpath (the shared modules' it takes; it has none of its own), with its record's default
 * and environment variable, and nothing those records do not have ({@link ConfigurationReference}).
 */
class ConfigurationTableTest {

    @Test
    void configurationReferenceMatchesTheRecordsAndTheYaml() {
        ConfigurationReference.check("com.example.shop");
    }
}
