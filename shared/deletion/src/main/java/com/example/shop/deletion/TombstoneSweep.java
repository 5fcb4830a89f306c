package com.example.shop.deletion;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

/**
 * Finishes what a delete started: does the work the deletion owes another service ({@link #finish}),
 * and only when that service confirms, removes the tombstoned document for good.
 * <p>
 * The work lives in the store, not in memory: each tombstone says when it is next due. A sweep runs at
 * start-up and then every {@link CleanupProperties#sweepInterval()}; it claims due tombstones one at a
 * time with a guarded {@code findAndModify} that pushes {@code nextAttemptAt} past a lease, so two
 * instances never work on the same one at once. A failed attempt sets the next try after an exponential
 * backoff; one that dies with its process is due again when its lease ends. The backoff spares a
 * service that is down, not one that is back: as soon as an attempt works again (one per sweep is tried
 * early while nothing is due), every tombstone waiting out its backoff is due at once. Nothing blocks or
 * sleeps.
 *
 * @param <T> the tombstoned document
 */
public abstract class TombstoneSweep<T extends Tombstoned> implements SmartLifecycle {

    private static final FindAndModifyOptions RETURN_NEW = FindAndModifyOptions.options().returnNew(true);

    private static final String DUE = Deletion.FIELD + ".nextAttemptAt";

    private static final String ATTEMPTS = Deletion.FIELD + ".attempts";

    private static final String FAILED_AT = Deletion.FIELD + ".failedAt";

    private final Logger log = LoggerFactory.getLogger(getClass());

    private final String subject;

    private final String work;

    private final Class<T> type;

    private final ReactiveMongoTemplate mongo;

    private final CleanupProperties properties;

    private final Clock clock;

    private volatile Disposable sweeps;

    /**
     * @param subject what a tombstone is, for the log ("deleted product")
     * @param work    what {@link #finish} does, for the log ("cart cleanup")
     */
    protected TombstoneSweep(String subject, String work, Class<T> type, ReactiveMongoTemplate mongo,
            CleanupProperties properties, Clock clock) {
        this.subject = subject;
        this.work = work;
        this.type = type;
        this.mongo = mongo;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * The work a tombstone owes: completes with what was done, in a few words for the log, once the other
     * service has confirmed it; fails otherwise. Called again after a failure, so it must be idempotent.
     */
    protected abstract Mono<String> finish(T tombstone);

    @Override
    public void start() {
        log.info("Sweep of {}s ({}): now and every {}, backoff {}..{}, lease {}", subject, work,
                properties.sweepInterval(), properties.initialBackoff(), properties.maxBackoff(), properties.lease());
        sweeps = Flux.interval(Duration.ZERO, properties.sweepInterval())
                .onBackpressureDrop()
                .concatMap(tick -> sweep()
                        .onErrorResume(e -> {
                            log.warn("Sweep of {}s failed; the next one tries again: {}", subject, e.toString());
                            return Mono.empty();
                        }), 1)
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable running = sweeps;
        if (running != null) {
            running.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        Disposable running = sweeps;
        return running != null && !running.isDisposed();
    }

    /**
     * Works off every tombstone that is due, one after the other, until none is left due. Then brings
     * forward the tombstones waiting out a backoff once the other service answers again: when an attempt
     * of this sweep worked, they are all due now; when nothing was due, the earliest of them is tried
     * early, once, as a probe, and when that works, so are the others. While the other service is down,
     * that is one call per sweep beyond the due ones, and none when a due attempt has just failed.
     */
    public Mono<Void> sweep() {
        return workOffDue().flatMap(outcomes -> {
            if (outcomes.succeeded() > 0) {
                return wakeWaiting();
            }
            return outcomes.attempted() == 0 ? probe() : Mono.empty();
        });
    }

    private Mono<Outcomes> workOffDue() {
        return Mono.defer(() -> claim(Criteria.where(DUE).lte(clock.instant())))
                .flatMap(this::process)
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .repeat()
                .takeWhile(Optional::isPresent)
                .reduce(Outcomes.NONE, (outcomes, worked) -> outcomes.add(worked.get()));
    }

    /** Tries the tombstone that waits for the soonest retry now; when that works, so do the other waiting ones. */
    private Mono<Void> probe() {
        return Mono.defer(() -> claim(waiting(clock.instant())))
                .flatMap(this::process)
                .filter(Boolean::booleanValue)
                .flatMap(worked -> wakeWaiting());
    }

    /** Makes every tombstone waiting out a backoff due now (not those leased to an instance), and works them off. */
    private Mono<Void> wakeWaiting() {
        Instant now = clock.instant();
        return mongo.updateMulti(Query.query(waiting(now)), new Update().set(DUE, now), type)
                .doOnSuccess(result -> {
                    if (result.getModifiedCount() > 0) {
                        log.info("{}: the other service answers again; {} waiting {}(s) due now", capitalized(work),
                                result.getModifiedCount(), subject);
                    }
                })
                .then(workOffDue())
                .then();
    }

    /** Waiting out a backoff after a failed attempt, with the next try later than {@code now}. */
    private static Criteria waiting(Instant now) {
        return Criteria.where(FAILED_AT).ne(null).and(DUE).gt(now);
    }

    /**
     * Reserves the matching tombstone that is due soonest for this instance: counts the attempt and pushes
     * its due time past the lease.
     */
    private Mono<T> claim(Criteria which) {
        Instant now = clock.instant();
        Query query = Query.query(which).with(Sort.by(DUE));
        Update claim = new Update().inc(ATTEMPTS, 1).set(DUE, now.plus(properties.lease())).unset(FAILED_AT);
        return mongo.findAndModify(query, claim, RETURN_NEW, type);
    }

    /** Does a claimed tombstone's work: true when it is done and the document removed, false when it waits for a retry. */
    private Mono<Boolean> process(T tombstone) {
        ObjectId id = tombstone.id();
        int attempt = tombstone.deletion().attempts();
        return finish(tombstone)
                .flatMap(done -> mongo.remove(Query.query(Criteria.where("_id").is(id).and(Deletion.FIELD).ne(null)), type)
                        .doOnSuccess(removed -> log.info("{} {}: {} on attempt {}; document removed",
                                capitalized(subject), id, done, attempt)))
                .thenReturn(true)
                .onErrorResume(e -> retryLater(id, attempt, e).thenReturn(false));
    }

    /** Sets the next try after a backoff, unless another instance has claimed the tombstone since. */
    private Mono<Void> retryLater(ObjectId id, int attempt, Throwable error) {
        Duration wait = properties.backoff(attempt);
        log.warn("{} {}: {}, attempt {} failed ({}); next try in {}", capitalized(subject), id, work, attempt,
                error.getMessage(), wait);
        Instant now = clock.instant();
        Query stillOurs = Query.query(Criteria.where("_id").is(id).and(ATTEMPTS).is(attempt));
        return mongo.updateFirst(stillOurs, new Update().set(DUE, now.plus(wait)).set(FAILED_AT, now), type).then();
    }

    /** How many tombstones a pass claimed, and how many of them it finished. */
    private record Outcomes(int attempted, int succeeded) {

        static final Outcomes NONE = new Outcomes(0, 0);

        Outcomes add(boolean worked) {
            return new Outcomes(attempted + 1, succeeded + (worked ? 1 : 0));
        }
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
