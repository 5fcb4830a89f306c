package com.example.shop.operations.logging;

import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;

/**
 * Log events that carry an exception, one stack trace per distinct error per interval: the first event of an
 * error (the same logger and level, and along its chain of causes the same exception classes, messages and
 * throwing code) in an interval is logged as it is; the repeats within the interval are not logged, only
 * counted, and the next interval begins with one line per such error saying how many more there were and
 * the last one's message. At most {@code maxStackTraces} errors are logged with their stack traces per
 * interval, all together (errors whose messages differ every time are still distinct errors); the rest are
 * counted in one line. So a flood of failing requests, however built, writes a bounded amount of log.
 * <p>
 * A logback turbo filter, installed in the logging context as the application starts
 * ({@link RepeatedErrorsAutoConfiguration}): it decides before an event exists, so it covers every logger
 * (the framework's own error logs, Reactor Netty's, the process's exception handlers) and every log format,
 * plain or structured (ECS, Logstash). Events without an exception, and events of a level not enabled for
 * their logger, pass untouched.
 */
public final class RepeatedErrorsFilter extends TurboFilter {

    /** The longest exception message kept in an error's identity and its report line. */
    private static final int MAX_MESSAGE = 500;

    private final Duration interval;

    private final int maxStackTraces;

    private final AtomicReference<Window> window = new AtomicReference<>(new Window());

    private ScheduledFuture<?> reporting;

    RepeatedErrorsFilter(Duration interval, int maxStackTraces) {
        this.interval = interval;
        this.maxStackTraces = maxStackTraces;
    }

    /** Installs a filter in {@code context}, in place of any earlier one (of a context refreshed in the same JVM). */
    public static RepeatedErrorsFilter install(LoggerContext context, Duration interval, int maxStackTraces) {
        context.getTurboFilterList().removeIf(existing -> {
            if (existing instanceof RepeatedErrorsFilter earlier) {
                earlier.stop();
                return true;
            }
            return false;
        });
        RepeatedErrorsFilter filter = new RepeatedErrorsFilter(interval, maxStackTraces);
        filter.setName("repeated-errors");
        filter.setContext(context);
        filter.start();
        context.addTurboFilter(filter);
        return filter;
    }

    /** Reports what the interval so far held back, and takes this filter out of its context. */
    public void uninstall() {
        stop();
        ((LoggerContext) getContext()).getTurboFilterList().remove(this);
    }

    @Override
    public void start() {
        if (getContext() != null) {
            reporting = getContext().getScheduledExecutorService().scheduleAtFixedRate(this::report,
                    interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
            getContext().addScheduledFuture(reporting);
        }
        super.start();
    }

    @Override
    public void stop() {
        if (isStarted()) {
            super.stop();
            if (reporting != null) {
                reporting.cancel(false);
            }
            report();
        }
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        Throwable error = t != null ? t : lastThrowable(params);
        if (error == null || level == null || !isStarted() || !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
            return FilterReply.NEUTRAL;
        }
        return window.get().admit(new Key(logger.getName(), level, identity(error)), logger, level, format, params)
                ? FilterReply.NEUTRAL : FilterReply.DENY;
    }

    /**
     * Begins a new interval and logs what the last one held back: per error, how many more there were and the
     * last one's message; and how many errors went unlogged for being over the number of stack traces.
     */
    public void report() {
        Window ended = window.getAndSet(new Window());
        ended.seen.forEach((key, repeats) -> {
            long count = repeats.count.sum();
            if (count > 0) {
                repeats.report(count, describe(interval));
            }
        });
        long overflow = ended.overflow.sum();
        if (overflow > 0) {
            ((LoggerContext) getContext()).getLogger(RepeatedErrorsFilter.class).warn("{} more events with an exception (stack trace) were not logged in the last {}: over {} distinct errors "
                    + "with their stack traces per interval (shop.logging.repeated-errors.max-stack-traces)", overflow,
                    describe(interval), maxStackTraces);
        }
    }

    /** As SLF4J and logback take it: a last argument that is a {@link Throwable} is the event's exception. */
    private static Throwable lastThrowable(Object[] params) {
        return params != null && params.length > 0 && params[params.length - 1] instanceof Throwable error ? error : null;
    }

    /** Each exception of the chain of causes: class, message and the code that threw it. */
    static String identity(Throwable error) {
        StringBuilder identity = new StringBuilder();
        Set<Throwable> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable each = error; each != null && visited.add(each); each = each.getCause()) {
            if (!identity.isEmpty()) {
                identity.append("; caused by ");
            }
            identity.append(each.getClass().getName());
            String message = each.getMessage();
            if (message != null) {
                identity.append(": ").append(message, 0, Math.min(message.length(), MAX_MESSAGE));
            }
            StackTraceElement[] trace = each.getStackTrace();
            if (trace.length > 0) {
                identity.append(" (at ").append(trace[0]).append(')');
            }
        }
        return identity.toString();
    }

    private static String describe(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    private record Key(String logger, Level level, String error) {
    }

    /** The errors of one interval. */
    private final class Window {

        private final Map<Key, Repeats> seen = new ConcurrentHashMap<>();

        private final AtomicInteger stackTraces = new AtomicInteger();

        private final LongAdder overflow = new LongAdder();

        /** Whether this event is the first of its error in the interval, and within the number of stack traces. */
        boolean admit(Key key, Logger logger, Level level, String format, Object[] params) {
            Repeats repeats = seen.get(key);
            if (repeats != null) {
                repeats.add(format, params);
                return false;
            }
            if (stackTraces.incrementAndGet() > maxStackTraces) {
                overflow.increment();
                return false;
            }
            Repeats first = seen.putIfAbsent(key, new Repeats(logger, level, key.error()));
            if (first != null) {
                stackTraces.decrementAndGet();
                first.add(format, params);
                return false;
            }
            return true;
        }
    }

    /** The events of one error held back in an interval, and the last one's message. */
    private static final class Repeats {

        private final Logger logger;

        private final Level level;

        private final String error;

        private final LongAdder count = new LongAdder();

        private volatile String lastFormat;

        private volatile Object[] lastParams;

        Repeats(Logger logger, Level level, String error) {
            this.logger = logger;
            this.level = level;
            this.error = error;
        }

        void add(String format, Object[] params) {
            lastFormat = format;
            lastParams = params;
            count.increment();
        }

        void report(long count, String interval) {
            Object[] params = lastParams;
            if (params != null && lastThrowable(params) != null) {
                params = java.util.Arrays.copyOf(params, params.length - 1);
            }
            String last = MessageFormatter.basicArrayFormat(lastFormat, params);
            String line = "{} more like this in the last {}, not logged (the first one is, with its stack trace); the last: {}; "
                    + "the error: {}";
            logger.log(null, RepeatedErrorsFilter.class.getName(), Level.toLocationAwareLoggerInteger(level), line,
                    new Object[] {count, interval, last, error}, null);
        }
    }
}
