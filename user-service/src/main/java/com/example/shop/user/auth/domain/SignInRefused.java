package com.example.shop.user.auth.domain;

import java.time.Duration;

/** Why a sign-in got no token. Rendered by {@code AuthProblems}. */
public abstract sealed class SignInRefused extends RuntimeException {

    SignInRefused(String message) {
        super(message, null, false, false);
    }

    /** Wrong password or unknown email: the caller is not told which. */
    public static final class InvalidCredentials extends SignInRefused {

        public InvalidCredentials() {
            super("invalid email or password");
        }
    }

    /** Too many attempts for this email in the current window; the password was not checked. */
    public static final class Throttled extends SignInRefused {

        private final Duration retryAfter;

        public Throttled(Duration retryAfter) {
            super("too many sign-in attempts for this email; try again later");
            this.retryAfter = retryAfter;
        }

        /** Time until the window closes. */
        public Duration retryAfter() {
            return retryAfter;
        }
    }
}
