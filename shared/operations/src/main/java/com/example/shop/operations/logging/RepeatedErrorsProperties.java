package com.example.shop.operations.logging;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How often an error is logged with its stack trace ({@link RepeatedErrorsFilter}), in every process.
 *
 * @param interval        an error (exception classes, messages and throwing code) is logged with its stack
 *                        trace once per interval; its repeats are counted in one line at the next interval
 * @param maxStackTraces  the most errors logged with their stack traces per interval, all together; the rest
 *                        are counted in one line
 */
@ConfigurationProperties("shop.logging.repeated-errors")
@Validated
public record RepeatedErrorsProperties(
        @DefaultValue("1m") @NotNull @DurationMin(seconds = 1) Duration interval,
        @DefaultValue("20") @Min(1) int maxStackTraces) {
}
