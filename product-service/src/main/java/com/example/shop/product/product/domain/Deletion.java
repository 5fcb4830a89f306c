package com.example.shop.product.product.domain;

import java.time.Instant;

import org.springframework.data.mongodb.core.index.Indexed;

/**
 * The tombstone of a deleted product: the cart cleanup it still owes user-service.
 *
 * @param at            when the product was deleted
 * @param attempts      how many times a cleanup has been claimed (also the claim's token)
 * @param nextAttemptAt when the cleanup is due: the next try after a failure, or the end of the lease
 *                      of the instance working on it
 */
public record Deletion(Instant at, int attempts, @Indexed(name = "deletion_due") Instant nextAttemptAt) {

    public static Deletion pending(Instant now) {
        return new Deletion(now, 0, now);
    }
}
