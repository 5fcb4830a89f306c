package com.example.shop.security;

import reactor.core.publisher.Mono;

import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authorization.AuthorizationContext;

/**
 * Access rules by which service calls, for {@link AccessRules}: {@code pathMatchers("/internal/**")
 * .access(ServiceAccess.only("product-service"))}. A service is who its token's key says it is (the
 * subject of a service token must be the name of the service whose key signed it), so another service,
 * the gateway and every user get a 403, and an anonymous request a 401.
 */
public final class ServiceAccess {

    private ServiceAccess() {
    }

    /** Granted to the service {@code serviceName} only. */
    public static ReactiveAuthorizationManager<AuthorizationContext> only(String serviceName) {
        return (authentication, context) -> authentication
                .filter(Authentication::isAuthenticated)
                .flatMap(signedIn -> Mono.justOrEmpty(Caller.of(signedIn)))
                .map(caller -> caller.isService(serviceName))
                .map(AuthorizationDecision::new)
                .cast(AuthorizationResult.class)
                .defaultIfEmpty(new AuthorizationDecision(false));
    }
}
