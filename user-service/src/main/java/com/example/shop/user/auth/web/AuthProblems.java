package com.example.shop.user.auth.web;

import java.time.Duration;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import com.example.shop.web.ApiException;
import com.example.shop.user.password.HashingBusy;
import com.example.shop.user.auth.domain.SignInRefused;

/**
 * Refused sign-ins as problem+json, with their headers: a 401
 * with {@code WWW-Authenticate: Bearer} (as every 401 of the API), a 429 with {@code Retry-After}
 * (whole seconds until the email's window closes), and, for sign-in and sign-up alike, a 503 with
 * {@code Retry-After} when password hashing is at its bound. Ahead of shop-web's handler, and only for these.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class AuthProblems {

    @ExceptionHandler(SignInRefused.InvalidCredentials.class)
    ErrorResponse invalidCredentials(SignInRefused.InvalidCredentials refused) {
        return new ApiException(HttpStatus.UNAUTHORIZED, "Invalid email or password")
                .withHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    }

    @ExceptionHandler(SignInRefused.Throttled.class)
    ErrorResponse throttled(SignInRefused.Throttled refused) {
        long seconds = seconds(refused.retryAfter());
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS,
                "Too many sign-in attempts for this email; try again in " + seconds + " s")
                .withHeader(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
    }

    /** A hash takes well under a second, so a turn comes free within one; the client may try again then. */
    @ExceptionHandler(HashingBusy.class)
    ErrorResponse hashingBusy(HashingBusy busy) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Too many password checks at once; try again in 1 s")
                .withHeader(HttpHeaders.RETRY_AFTER, "1");
    }

    /** Whole seconds, rounded up, at least 1. */
    static long seconds(Duration duration) {
        long seconds = duration.toSeconds() + (duration.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }
}
