package com.example.shop.common.config;

import org.junit.jupiter.api.Test;

import com.example.shop.common.config.test.ReadmeConfigurationTable;

/**
 * README's configuration table names every setting of common's @ConfigurationProperties records, with its
 * record's default and environment variable, and nothing those records do not have ({@link ReadmeConfigurationTable}).
 */
class ConfigurationTableTest {

    @Test
    void readmeConfigurationTableMatchesTheRecordsAndTheYaml() {
        ReadmeConfigurationTable.check("com.example.shop.common");
    }
}
