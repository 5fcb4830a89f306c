package com.example.shop.gateway.config;

import org.junit.jupiter.api.Test;

import com.example.shop.testing.ReadmeConfigurationTable;

/**
 * README's configuration table names every setting of gateway's @ConfigurationProperties records, with its
 * record's default and environment variable, and nothing those records do not have ({@link ReadmeConfigurationTable}).
 */
class ConfigurationTableTest {

    @Test
    void readmeConfigurationTableMatchesTheRecordsAndTheYaml() {
        ReadmeConfigurationTable.check("com.example.shop.gateway");
    }
}
