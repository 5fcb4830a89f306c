package com.example.shop.operations.logging;

import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every process that takes the shared modules' auto-configuration (the services and the gateway) has the filter in its
 * logging context while its application context runs, with its settings, and not after.
 */
class RepeatedErrorsAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RepeatedErrorsAutoConfiguration.class));

    private static LoggerContext logging() {
        return (LoggerContext) LoggerFactory.getILoggerFactory();
    }

    @Test
    void theFilterIsInTheLoggingContextWhileTheApplicationRuns() {
        runner.withPropertyValues("shop.logging.repeated-errors.interval=5m").run(context -> {
            RepeatedErrorsFilter filter = context.getBean(RepeatedErrorsFilter.class);
            assertThat(logging().getTurboFilterList()).containsOnlyOnce(filter);
            assertThat(context.getBean(RepeatedErrorsProperties.class).interval()).hasMinutes(5);
        });

        assertThat(logging().getTurboFilterList()).noneMatch(RepeatedErrorsFilter.class::isInstance);
    }

    @Test
    void settingsOutOfRangeStopTheStart() {
        runner.withPropertyValues("shop.logging.repeated-errors.max-stack-traces=0")
                .run(context -> assertThat(context).hasFailed().getFailure().hasStackTraceContaining("maxStackTraces"));
    }
}
