package com.example.shop.operations.logging;

import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The framework's log lines (Commons Logging: Spring, Spring Security) reach Logback, and a message object of a
 * level that is off is never turned into a String: Spring Security passes {@code LogMessage.format(...)} to
 * {@code debug} on every request, and Commons Logging's own SLF4J adapter rendered it before Logback dropped it
 * (META-INF/services/org.apache.commons.logging.LogFactory routes it through the Log4j API, which checks first).
 */
class FrameworkLoggingTest {

    static final String NAME = "com.example.shop.operations.logging.framework";

    Logger logger = (Logger) LoggerFactory.getLogger(NAME);

    ListAppender<ILoggingEvent> events = new ListAppender<>();

    @BeforeEach
    void setUp() {
        logger.setLevel(Level.INFO);
        events.start();
        logger.addAppender(events);
    }

    @AfterEach
    void tearDown() {
        logger.detachAppender(events);
        logger.setLevel(null);
    }

    @Test
    void aMessageOfALevelThatIsOffIsNeverRendered() {
        Log log = LogFactory.getLog(NAME);
        AtomicInteger rendered = new AtomicInteger();
        Object message = new Object() {
            @Override
            public String toString() {
                rendered.incrementAndGet();
                return "the message";
            }
        };

        log.debug(message);
        log.trace(message);
        assertThat(rendered).hasValue(0);
        assertThat(events.list).isEmpty();

        log.info(message);
        assertThat(rendered).hasValue(1);
        assertThat(events.list).singleElement().satisfies(event -> {
            assertThat(event.getFormattedMessage()).isEqualTo("the message");
            assertThat(event.getLevel()).isEqualTo(Level.INFO);
            assertThat(event.getLoggerName()).isEqualTo(NAME);
        });
    }
}
