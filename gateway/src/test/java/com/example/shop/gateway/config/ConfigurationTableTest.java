package com.example.shop.gateway.config;

import org.junit.jupiter.api.Test;

import com.example.shop.testing.ConfigurationReference;

/**
 * The configuration reference (docs/configuration.md) names every setting of the @ConfigurationProperties records
 * on the gateway's classpath (its own and the shared modules' it takes), with its record's default and environment
 * variable, and nothing those records do not have ({@link ConfigurationReference}).
 */
class ConfigurationTableTest {

    @Test
    void configurationReferenceMatchesTheRecordsAndTheYaml() {
        ConfigurationReference.check("com.example.shop");
    }
}
