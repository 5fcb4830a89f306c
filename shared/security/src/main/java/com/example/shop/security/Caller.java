package com.example.shop.security;

import java.util.Objects;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import com.example.shop.web.ApiException;

/**
 * Who is making the current request: a user (the subject of an access token: the user's id) or another
 * service (the subject of a service token: its name). Anonymous requests have no caller.
 */
public record Caller(Kind kind, String id) {

    public enum Kind {
        USER, SERVICE
    }

    public static final String ROLE_USER = "ROLE_USER";

    public static final String ROLE_SERVICE = "ROLE_SERVICE";

    public Caller {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(id);
    }

    public boolean isService() {
        return kind == Kind.SERVICE;
    }

    /** Whether the caller is the service of this name (its own key signed its token). */
    public boolean isService(String serviceName) {
        return kind == Kind.SERVICE && id.equals(serviceName);
    }

    /** Whether the caller is the user with this id. */
    public boolean isUser(String userId) {
        return kind == Kind.USER && id.equals(userId);
    }

    /** The caller of the request being served; empty when it is anonymous. */
    public static Mono<Caller> current() {
        return ReactiveSecurityContextHolder.getContext()
                .map(SecurityContext::getAuthentication)
                .flatMap(authentication -> Mono.justOrEmpty(of(authentication)));
    }

    /** The caller, or a 401 when the request carries no valid token (where the rules let one through). */
    public static Mono<Caller> required() {
        return current().switchIfEmpty(Mono.error(
                new ApiException(HttpStatus.UNAUTHORIZED, "Authentication required: send Authorization: Bearer <token>")));
    }

    /**
     * Completes when the caller is the user {@code userId}; otherwise a 403 saying that only that user
     * may {@code action}.
     */
    public static Mono<Caller> requireUser(String userId, String action) {
        return required().flatMap(caller -> caller.isUser(userId)
                ? Mono.just(caller)
                : Mono.error(ApiException.forbidden("only the user " + userId + " may " + action)));
    }

    static Caller of(Authentication authentication) {
        if (!(authentication instanceof JwtAuthenticationToken jwt) || !authentication.isAuthenticated()) {
            return null;
        }
        boolean service = jwt.getAuthorities().stream().anyMatch(a -> ROLE_SERVICE.equals(a.getAuthority()));
        return new Caller(service ? Kind.SERVICE : Kind.USER, jwt.getToken().getSubject());
    }
}
