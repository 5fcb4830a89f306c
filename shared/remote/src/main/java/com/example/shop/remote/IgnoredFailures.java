package com.example.shop.remote;

import java.net.ConnectException;
import java.util.function.Predicate;

import io.netty.channel.ConnectTimeoutException;
import reactor.netty.channel.AbortedException;
import reactor.netty.http.client.PrematureCloseException;

/**
 * The failures a backend's circuit breaker ignores (its {@code ignore-exception-predicate} in shop-defaults/remote.yml):
 * those that say nothing about how the backend answers calls. Together with {@link RemoteFailures}, what it
 * records as failures, this is what the breaker counts, one outcome per call whatever its retry did
 * ({@link ResilientCalls}):
 * <ul>
 * <li>a failure: a 5xx answer to a service's own call (the gateway passes its routed requests' answers
 * through, and counts them all as successes), no answer within the time limit, a connection that broke after it
 * was made (reset, closed before the answer) or could not be made in time (connect time-out), any other I/O
 * failure;</li>
 * <li>a success: an answer, 4xx included (the caller's concern);</li>
 * <li>nothing (ignored here): a <b>refused connection</b>, nothing listening at the instance's address (the
 * process is stopped or restarting), answered as fast as an open breaker would answer and costing the service
 * nothing; <b>no instance</b> from the load balancer ({@link NoInstanceException}; the gateway adds its
 * {@code NotFoundException}), where no call was made; a <b>connection closed while the request was still being
 * sent</b>, which a backend that stops does to its kept-alive connections (it never had the request whole, so it
 * cannot have acted on it); a call the client cancelled (resilience4j releases its permission); and the guards'
 * own refusals, which never reach it.</li>
 * </ul>
 *
 * <p>So a backend that is stopped, crashed or restarting never opens its breaker, and an open or half-open
 * breaker is not held there by it: callers get a 503 naming it at once, the retry tries the next instance, the
 * load balancer's readiness checks take it out of rotation and put it back within 500 ms of it being ready again
 * ({@link ReadyInstances}), and the calls then go through. A hung or failing backend opens it as before.
 */
public final class IgnoredFailures implements Predicate<Throwable> {

    @Override
    public boolean test(Throwable error) {
        return isIgnored(error);
    }

    public static boolean isIgnored(Throwable error) {
        return isUndelivered(error) || error instanceof NoInstanceException;
    }

    /**
     * Whether the request certainly never reached the backend whole, so that it cannot have acted on it: the
     * connection was refused ({@link #isRefused}), or the backend closed it before the request was sent or while
     * its body was still on its way (Reactor Netty's {@link AbortedException} "BEFORE send operation" and
     * {@link PrematureCloseException} "while sending request body": a backend stopping gracefully closes its
     * kept-alive connections, one of which may just have been taken for a request). A connection closed once the
     * request was sent ("BEFORE response") is not among them: the backend may have had it whole.
     */
    public static boolean isUndelivered(Throwable error) {
        if (isRefused(error)) {
            return true;
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            String message = cause.getMessage() == null ? "" : cause.getMessage();
            if (cause instanceof PrematureCloseException && message.contains("while sending request body")
                    || cause instanceof AbortedException && message.contains("BEFORE send operation")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the connection was refused, the error or one of its causes: a {@link ConnectException} other than
     * a connect time-out (Netty's {@link ConnectTimeoutException} is one too), as Reactor Netty reports
     * "Connection refused" on every transport.
     */
    public static boolean isRefused(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ConnectException && !(cause instanceof ConnectTimeoutException)) {
                return true;
            }
        }
        return false;
    }
}
