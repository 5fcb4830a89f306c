package com.example.shop.deletion;

import java.time.Clock;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What a {@link TombstoneSweep} needs: its settings ({@code shop.cleanup.*}) and the clock that
 * tombstones and their schedules are stamped with. Imported by each service's sweep.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CleanupProperties.class)
public class DeletionConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
