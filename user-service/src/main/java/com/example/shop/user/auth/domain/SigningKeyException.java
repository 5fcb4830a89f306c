package com.example.shop.user.auth.domain;

/** The key that signs access tokens is missing or does not fit; user-service refuses to start. */
public class SigningKeyException extends IllegalStateException {

    private final String action;

    public SigningKeyException(String description, String action, Throwable cause) {
        super(description, cause);
        this.action = action;
    }

    /** What to do about it, for the start-up failure report. */
    public String action() {
        return action;
    }
}
