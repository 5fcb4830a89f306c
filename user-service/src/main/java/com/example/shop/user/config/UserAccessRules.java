package com.example.shop.user.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.server.authorization.AuthorizationContext;

import com.example.shop.security.AccessRules;
import com.example.shop.security.Caller;
import com.example.shop.security.ServiceAccess;
import com.example.shop.user.user.web.MatchingUsersController;

/**
 * Who may call what in user-service, by path (shop-security adds: health, metrics and API docs open; anything
 * not listed here needs a valid token):
 * <ul>
 * <li>open: sign-up ({@code POST /users}), sign-in ({@code POST /auth/token}), the JWK set (its {@code GET},
 * {@code HEAD} and {@code OPTIONS});</li>
 * <li>{@code /internal/**}: product-service only (its service credential); the gateway's, any other
 * service's and every user's are a 403; but for {@code GET /internal/users/ids}, the ids matching a page's filters,
 * which the gateway asks on a caller's behalf and is open to every signed-in caller as a page of users is;</li>
 * <li>changing a user, reading or changing its cart: that user only (no service reads carts).</li>
 * </ul>
 * The owner rules compare the path's user id with the token's subject, before the body is read, so
 * anyone else gets a 403 whether or not the user exists. Reading users is open to every signed-in
 * caller; what it shows depends on who asks ({@code UserView}: services see the public view). The
 * controllers check the caller again.
 */
@Configuration(proxyBeanMethods = false)
class UserAccessRules {

    static final String USER = "/users/{userId}";

    static final String CART = "/users/{userId}/cart";

    static final String CART_ANYTHING = "/users/{userId}/cart/**";

    /** The only caller of {@code /internal/**}: it takes a deleted product out of every cart. */
    static final String PRODUCT_SERVICE = "product-service";

    @Bean
    AccessRules userServiceAccessRules() {
        return exchanges -> AccessRules.permitReads(exchanges, "/auth/jwks", "/.well-known/jwks.json")
                .pathMatchers(HttpMethod.POST, "/users", "/auth/token").permitAll()
                // the gateway's filters through a reference, on the caller's behalf: as open as a page of users
                .pathMatchers(HttpMethod.GET, MatchingUsersController.PATH).authenticated()
                .pathMatchers("/internal/**").access(ServiceAccess.only(PRODUCT_SERVICE))
                .pathMatchers(HttpMethod.PATCH, USER).access(theUser())
                .pathMatchers(HttpMethod.DELETE, USER).access(theUser())
                .pathMatchers(CART, CART_ANYTHING).access(theUser());
    }

    /**
     * Granted to the user whose id is the path's {@code userId} (the subject of a user's access token),
     * never to a service. Anonymous callers are refused, which makes a 401. The id must be spelt as the token
     * spells it, in lower-case hex: any other spelling is not the caller's path (403), as ids have one spelling
     * everywhere ({@code ObjectIds}).
     */
    static ReactiveAuthorizationManager<AuthorizationContext> theUser() {
        return (authentication, context) -> authentication
                .filter(Authentication::isAuthenticated)
                .filter(JwtAuthenticationToken.class::isInstance)
                .cast(JwtAuthenticationToken.class)
                .map(token -> {
                    Object userId = context.getVariables().get("userId");
                    return hasAuthority(token, Caller.ROLE_USER) && userId instanceof String id
                            && id.equals(token.getToken().getSubject());
                })
                .map(AuthorizationDecision::new)
                .cast(AuthorizationResult.class)
                .defaultIfEmpty(new AuthorizationDecision(false));
    }

    private static boolean hasAuthority(Authentication authentication, String authority) {
        return authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority).anyMatch(authority::equals);
    }
}
