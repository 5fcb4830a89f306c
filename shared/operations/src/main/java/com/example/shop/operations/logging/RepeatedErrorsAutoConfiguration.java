package com.example.shop.operations.logging;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Every process logs an error's stack trace once per interval ({@link RepeatedErrorsFilter},
 * {@code shop.logging.repeated-errors.*}), from the start of its application context to its close. It needs
 * logback, Boot's default logging system.
 */
@AutoConfiguration
@ConditionalOnClass(LoggerContext.class)
@EnableConfigurationProperties(RepeatedErrorsProperties.class)
public class RepeatedErrorsAutoConfiguration {

    @Bean(destroyMethod = "uninstall")
    RepeatedErrorsFilter repeatedErrorsFilter(RepeatedErrorsProperties properties) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            throw new IllegalStateException("shop.logging.repeated-errors needs logback, Boot's default logging system; "
                    + "found " + LoggerFactory.getILoggerFactory().getClass().getName());
        }
        return RepeatedErrorsFilter.install(context, properties.interval(), properties.maxStackTraces());
    }
}
