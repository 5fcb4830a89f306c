package com.example.shop.deletion;

import java.time.Instant;

import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.query.Criteria;

/**
 * The tombstone of a deleted document: the work its deletion still owes another service (a deleted
 * product's cart cleanup in user-service, a deleted user's products in product-service). A document
 * that has one is gone from its API; {@link TombstoneSweep} removes it once that work is done.
 *
 * @param at            when the document was deleted
 * @param attempts      how many times the work has been claimed (also the claim's token)
 * @param nextAttemptAt when the work is due: the next try after a failure, or the end of the lease
 *                      of the instance working on it
 * @param failedAt      when the last attempt failed, while the work waits out its backoff (then
 *                      {@code nextAttemptAt} is the next try, which {@link TombstoneSweep} may bring
 *                      forward once the other service answers again); null while it is new or claimed
 */
public record Deletion(Instant at, int attempts, @Indexed(name = "deletion_due") Instant nextAttemptAt,
        Instant failedAt) {

    /** The field of a document that holds its tombstone. */
    public static final String FIELD = "deletion";

    public static Deletion pending(Instant now) {
        return new Deletion(now, 0, now, null);
    }

    /** Not deleted: no tombstone. Part of every read and write of a document that can have one. */
    public static Criteria notDeleted() {
        return Criteria.where(FIELD).is(null);
    }
}
