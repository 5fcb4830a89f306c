package com.example.shop.user.config;

import org.junit.jupiter.api.Test;

import com.example.shop.testing.ReadmeConfigurationTable;

/**
 * README's configuration table names every setting of user-service's @ConfigurationProperties records, with its
 * record's default and environment variable, and nothing those records do not have ({@link ReadmeConfigurationTable}).
 */
class ConfigurationTableTest {

    @Test
    void readmeConfigurationTableMatchesTheRecordsAndTheYaml() {
        ReadmeConfigurationTable.check("com.example.shop.user");
    }
}
