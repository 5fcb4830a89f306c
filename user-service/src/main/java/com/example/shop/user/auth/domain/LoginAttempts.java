package com.example.shop.user.auth.domain;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * The sign-in attempts counted for one email in its current window (collection {@code login_attempts},
 * one document per email, kept in the store so that the count holds across restarts and instances).
 * Only {@link LoginThrottle} writes it, each write one atomic single-document update.
 *
 * @param email       the (lower-cased) email the attempts were made for, registered or not
 * @param attempts    attempts counted in the window, each before its password was checked
 * @param windowStart when the first of them was counted
 * @param windowEnd   when the window closes; on MongoDB a TTL index removes the document after that
 */
@Document("login_attempts")
public record LoginAttempts(
        @Id String email,
        int attempts,
        Instant windowStart,
        @Indexed(name = "login_attempts_expiry", expireAfter = "0s") Instant windowEnd) {
}
