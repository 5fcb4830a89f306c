package com.example.shop.operations.logging;

import java.time.Duration;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The filter in a logging context of its own, its events collected: one stack trace per error and interval,
 * the repeats counted in the next interval's line, a bound on stack traces per interval whatever the errors.
 */
class RepeatedErrorsFilterTest {

    LoggerContext context;

    ListAppender<ILoggingEvent> events;

    Logger logger;

    RepeatedErrorsFilter filter;

    @BeforeEach
    void setUp() {
        context = new LoggerContext();
        context.start();
        events = new ListAppender<>();
        events.setContext(context);
        events.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(events);
        logger = context.getLogger("handler");
        // an interval longer than the test: each test ends it with report()
        filter = RepeatedErrorsFilter.install(context, Duration.ofHours(1), 3);
    }

    @AfterEach
    void tearDown() {
        context.stop();
    }

    /** The same code failing the same way, as a request that hits the same bug again. */
    private static IllegalStateException bug(String message) {
        return new IllegalStateException(message);
    }

    private List<ILoggingEvent> withStackTraces() {
        return events.list.stream().filter(event -> event.getThrowableProxy() != null).toList();
    }

    @Test
    void anErrorRepeatedIsLoggedOnceWithItsStackTraceAndItsRepeatsCountedAtTheIntervalsEnd() {
        for (int i = 0; i < 100; i++) {
            logger.error("GET /products/{} failed", i, bug("the same bug"));
        }

        assertThat(withStackTraces()).singleElement()
                .satisfies(event -> assertThat(event.getFormattedMessage()).isEqualTo("GET /products/0 failed"));

        filter.report();

        assertThat(events.list).hasSize(2);
        ILoggingEvent repeats = events.list.get(1);
        assertThat(repeats.getLevel()).isEqualTo(Level.ERROR);
        assertThat(repeats.getLoggerName()).isEqualTo("handler");
        assertThat(repeats.getThrowableProxy()).isNull();
        assertThat(repeats.getFormattedMessage()).startsWith("99 more like this in the last 3600 s, not logged")
                .contains("the last: GET /products/99 failed")
                .contains("java.lang.IllegalStateException: the same bug (at " + RepeatedErrorsFilterTest.class.getName());
    }

    @Test
    void theNextIntervalLogsTheErrorWithItsStackTraceAgain() {
        logger.error("failed", bug("the same bug"));
        filter.report();
        logger.error("failed", bug("the same bug"));
        logger.error("failed", bug("the same bug"));

        assertThat(withStackTraces()).hasSize(2);
    }

    @Test
    void distinctErrorsEachGetTheirStackTraceUpToTheBoundThenAreCountedTogether() {
        for (int i = 0; i < 10; i++) {
            logger.error("failed", bug("bug number " + i));
        }
        logger.warn("a warning of the same kind", new IllegalArgumentException("another"));

        assertThat(withStackTraces()).hasSize(3);

        filter.report();

        assertThat(events.list).last().satisfies(event -> assertThat(event.getFormattedMessage())
                .startsWith("8 more events with an exception (stack trace) were not logged in the last 3600 s: over 3 distinct errors"));
    }

    @Test
    void eventsWithoutAnExceptionAndDisabledLevelsAreLeftAlone() {
        for (int i = 0; i < 5; i++) {
            logger.error("plain error {}", i);
            logger.debug("disabled", bug("not logged at all"));
        }
        logger.error("failed", bug("logged"));

        assertThat(events.list).hasSize(6);
        assertThat(withStackTraces()).singleElement();

        filter.report();

        assertThat(events.list).hasSize(6);
    }

    @Test
    void theSameExceptionFromAnotherCauseOrLoggerIsAnotherError() {
        logger.error("failed", new IllegalStateException("wrapped", bug("one cause")));
        logger.error("failed", new IllegalStateException("wrapped", new IllegalArgumentException("another cause")));
        context.getLogger("another").error("failed", new IllegalStateException("wrapped", bug("one cause")));

        assertThat(withStackTraces()).hasSize(3);
    }

    @Test
    void installingAgainReplacesTheFilterAndStoppingReportsWhatWasHeldBack() {
        logger.error("failed", bug("the same bug"));
        logger.error("failed", bug("the same bug"));

        RepeatedErrorsFilter.install(context, Duration.ofHours(1), 3);

        assertThat(context.getTurboFilterList()).hasSize(1).doesNotContain(filter);
        assertThat(events.list).last().satisfies(event -> assertThat(event.getFormattedMessage()).startsWith("1 more like this"));
    }
}
