package com.example.shop.user.auth.web;

import java.time.Duration;
import java.util.List;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebExchange;

import com.example.shop.common.web.ApiExceptionHandler;
import com.example.shop.user.auth.domain.HashingBusy;
import com.example.shop.user.auth.domain.SignInRefused;

/**
 * Refused sign-ins as problem+json, with the headers common's {@code ApiException} cannot carry: a 401
 * with {@code WWW-Authenticate: Bearer} (as every 401 of the API), a 429 with {@code Retry-After}
 * (whole seconds until the email's window closes), and, for sign-in and sign-up alike, a 503 with
 * {@code Retry-After} when password hashing is at its bound. Ahead of common's handler, and only for these.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class AuthProblems {

    @ExceptionHandler(SignInRefused.InvalidCredentials.class)
    ResponseEntity<ProblemDetail> invalidCredentials(SignInRefused.InvalidCredentials refused, ServerWebExchange exchange) {
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .body(problem(HttpStatus.UNAUTHORIZED, "Invalid email or password", exchange));
    }

    @ExceptionHandler(SignInRefused.Throttled.class)
    ResponseEntity<ProblemDetail> throttled(SignInRefused.Throttled refused, ServerWebExchange exchange) {
        long seconds = seconds(refused.retryAfter());
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(seconds))
                .body(problem(HttpStatus.TOO_MANY_REQUESTS,
                        "Too many sign-in attempts for this email; try again in " + seconds + " s", exchange));
    }

    /** A hash takes well under a second, so a turn comes free within one; the client may try again then. */
    @ExceptionHandler(HashingBusy.class)
    ResponseEntity<ProblemDetail> hashingBusy(HashingBusy busy, ServerWebExchange exchange) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE,
                        "Too many password checks at once; try again in 1 s", exchange));
    }

    /** Whole seconds, rounded up, at least 1. */
    static long seconds(Duration duration) {
        long seconds = duration.toSeconds() + (duration.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }

    private static ProblemDetail problem(HttpStatus status, String detail, ServerWebExchange exchange) {
        return ApiExceptionHandler.problemDetail(status, detail, List.of(),
                exchange.getRequest().getPath().value());
    }
}
