package com.example.shop.security;

import java.util.List;

import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.ServerHttpSecurity;

/**
 * A process's own access rules by path, applied after the shared ones (health, metrics and API docs open
 * to all) and before the shared default (everything else needs a valid token). Rules that depend on the
 * document (is the caller its owner?) are checked where the document is, with {@link Caller}.
 */
@FunctionalInterface
public interface AccessRules {

    /** The methods of a read: its {@code HEAD} and {@code OPTIONS} are as open as its {@code GET}. */
    List<HttpMethod> READ_METHODS = List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    void configure(ServerHttpSecurity.AuthorizeExchangeSpec exchanges);

    /** Reads of these paths ({@link #READ_METHODS}) open to anyone; returns {@code exchanges}, for more rules. */
    static ServerHttpSecurity.AuthorizeExchangeSpec permitReads(ServerHttpSecurity.AuthorizeExchangeSpec exchanges,
            String... paths) {
        READ_METHODS.forEach(method -> exchanges.pathMatchers(method, paths).permitAll());
        return exchanges;
    }
}
