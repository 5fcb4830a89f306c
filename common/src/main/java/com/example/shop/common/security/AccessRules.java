package com.example.shop.common.security;

import org.springframework.security.config.web.server.ServerHttpSecurity;

/**
 * A process's own access rules by path, applied after the shared ones (health, metrics and API docs open
 * to all) and before the shared default (everything else needs a valid token). Rules that depend on the
 * document (is the caller its owner?) are checked where the document is, with {@link Caller}.
 */
@FunctionalInterface
public interface AccessRules {

    void configure(ServerHttpSecurity.AuthorizeExchangeSpec exchanges);
}
