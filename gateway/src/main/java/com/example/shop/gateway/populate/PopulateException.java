package com.example.shop.gateway.populate;

import java.util.List;

/**
 * A {@code populate} parameter the gateway will not carry out: malformed, naming a path the resource
 * does not have, nested too deeply, or sent where nothing can be populated. The client's mistake, so a
 * 400; {@link #allowed()} lists what it could have asked for instead (may be empty).
 */
public class PopulateException extends RuntimeException {

    private final List<String> allowed;

    public PopulateException(String message, List<String> allowed) {
        super(message);
        this.allowed = List.copyOf(allowed);
    }

    public PopulateException(String message) {
        this(message, List.of());
    }

    public List<String> allowed() {
        return allowed;
    }
}
