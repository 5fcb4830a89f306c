package com.example.shop.gateway.populate;

import java.util.List;

/**
 * A {@code populate} parameter the gateway will not carry out: malformed, naming a path the resource
 * does not have, nested too deeply, with an option that makes no sense where it is given, or sent where
 * nothing can be populated. The client's mistake, so a 400; {@link #allowed()} lists what it could have
 * asked for instead (may be empty), {@link #option()} names the option at fault (null when none is).
 */
public class PopulateException extends RuntimeException {

    private final List<String> allowed;

    private final String option;

    public PopulateException(String message, List<String> allowed, String option) {
        super(message);
        this.allowed = List.copyOf(allowed);
        this.option = option;
    }

    public PopulateException(String message, List<String> allowed) {
        this(message, allowed, null);
    }

    public PopulateException(String message) {
        this(message, List.of());
    }

    /** A refused option, naming it; {@code allowed} is what it could have been. */
    public static PopulateException option(String option, String message, List<String> allowed) {
        return new PopulateException("populate: " + message, allowed, option);
    }

    public List<String> allowed() {
        return allowed;
    }

    public String option() {
        return option;
    }
}
