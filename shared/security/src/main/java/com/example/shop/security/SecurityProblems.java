package com.example.shop.security;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.web.server.ServerWebExchange;

import com.example.shop.web.ApiException;
import com.example.shop.web.ProblemResponses;

/**
 * The 401 and 403 of the security filters as problem+json, like every other error: a 401 carries
 * {@code WWW-Authenticate: Bearer} (with {@code error="invalid_token"} when a token was sent and did not
 * pass, RFC 6750 3.1). Also the 400 of a request the firewall turns away before anything else (an
 * encoded slash, a dot segment or a {@code ;} in the path).
 */
public final class SecurityProblems implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler,
        ServerExchangeRejectedHandler {

    private final JsonMapper jsonMapper;

    public SecurityProblems(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    @Override
    public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException ex) {
        String challenge = "Bearer";
        String detail = "Authentication required: send Authorization: Bearer <access token>";
        if (ex instanceof OAuth2AuthenticationException oauth) {
            challenge = "Bearer error=\"" + oauth.getError().getErrorCode() + "\"";
            detail = "The bearer token was refused (" + oauth.getError().getErrorCode() + ")";
            if (ex instanceof InvalidBearerTokenException) {
                detail = "The bearer token is invalid, expired, or not meant for this service";
            }
        }
        return write(exchange, new ApiException(HttpStatus.UNAUTHORIZED, detail)
                .withHeader(HttpHeaders.WWW_AUTHENTICATE, challenge));
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange,
            org.springframework.security.access.AccessDeniedException denied) {
        return write(exchange, new ApiException(HttpStatus.FORBIDDEN, "Forbidden: this caller may not " + exchange.getRequest().getMethod()
                + " " + exchange.getRequest().getPath().value()));
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, ServerExchangeRejectedException rejected) {
        return write(exchange, new ApiException(HttpStatus.BAD_REQUEST, "The request was rejected: " + rejected.getMessage()));
    }

    private Mono<Void> write(ServerWebExchange exchange, ApiException problem) {
        return ProblemResponses.write(exchange, problem, jsonMapper);
    }
}
