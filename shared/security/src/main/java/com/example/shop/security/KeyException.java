package com.example.shop.security;

/**
 * A key or secret of {@link SecurityProperties} is missing or unusable: the process refuses to start, and
 * {@link KeyFailureAnalyzer} reports what is wrong and what to set instead of a stack trace.
 */
public class KeyException extends IllegalStateException {

    private final String action;

    public KeyException(String description, String action, Throwable cause) {
        super(description, cause);
        this.action = action;
    }

    /** What to do about it, for the start-up failure report. */
    public String action() {
        return action;
    }
}
