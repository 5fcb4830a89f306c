package com.example.shop.user.auth.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

import com.example.shop.user.config.AuthProperties;

/**
 * Limits sign-in attempts per email: at most {@code maxFailures} attempts are let through to the
 * password check per window (which starts at the first attempt counted); a success clears the count.
 * <p>
 * An attempt is counted <em>before</em> its password is checked, by one atomic update that returns the
 * new count, so concurrent attempts each get their own number and no more than {@code maxFailures} of
 * them ever reach the check. The count is in the store ({@link LoginAttempts}); nothing is read, changed
 * and written back, and no transaction is needed:
 * <ol>
 * <li>{@code $inc} the count of a window that is still open;</li>
 * <li>if there is none, open a new window with a count of 1: an upsert whose query matches only a closed
 * window; when another request opened one in between, the upsert's insert hits the {@code _id} and
 * step 1 is tried again.</li>
 * </ol>
 */
@Component
public class LoginThrottle {

    /** The outcome of counting one attempt. */
    public record Attempt(String email, long count, boolean allowed, Duration retryAfter) {
    }

    private static final FindAndModifyOptions RETURN_NEW = FindAndModifyOptions.options().returnNew(true);

    private static final FindAndModifyOptions UPSERT = FindAndModifyOptions.options().upsert(true).returnNew(true);

    private final ReactiveMongoTemplate mongo;

    private final int maxFailures;

    private final Duration window;

    private final Clock clock = Clock.systemUTC();

    public LoginThrottle(ReactiveMongoTemplate mongo, AuthProperties properties) {
        this.mongo = mongo;
        this.maxFailures = properties.throttle().maxFailures();
        this.window = properties.throttle().window();
    }

    /** Counts an attempt for {@code email}; it may go on to the password check only if {@link Attempt#allowed()}. */
    public Mono<Attempt> count(String email) {
        return Mono.defer(() -> {
                    Instant now = clock.instant();
                    return countInOpenWindow(email, now)
                            .switchIfEmpty(Mono.defer(() -> openWindow(email, now)))
                            .map(attempts -> new Attempt(email, attempts.attempts(), attempts.attempts() <= maxFailures,
                                    Duration.between(now, attempts.windowEnd())));
                })
                // another request opened the window between steps 1 and 2: count in it
                .retryWhen(Retry.max(5).filter(DuplicateKeyException.class::isInstance));
    }

    /** After a successful sign-in: the email starts again from zero. */
    public Mono<Void> clear(String email) {
        return mongo.remove(Query.query(Criteria.where("_id").is(email)), LoginAttempts.class).then();
    }

    public int maxFailures() {
        return maxFailures;
    }

    public Duration window() {
        return window;
    }

    private Mono<LoginAttempts> countInOpenWindow(String email, Instant now) {
        Query open = Query.query(Criteria.where("_id").is(email).and("windowEnd").gt(now));
        return mongo.findAndModify(open, new Update().inc("attempts", 1), RETURN_NEW, LoginAttempts.class);
    }

    private Mono<LoginAttempts> openWindow(String email, Instant now) {
        Query closedOrNone = Query.query(Criteria.where("_id").is(email).and("windowEnd").lte(now));
        Update fresh = new Update().set("attempts", 1).set("windowStart", now).set("windowEnd", now.plus(window));
        return mongo.findAndModify(closedOrNone, fresh, UPSERT, LoginAttempts.class);
    }
}
