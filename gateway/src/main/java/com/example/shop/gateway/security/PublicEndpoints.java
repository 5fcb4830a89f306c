package com.example.shop.gateway.security;

import java.util.List;

import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.stereotype.Component;

import com.example.shop.security.AccessRules;

/**
 * What anyone may do at the gateway without a token: sign up, get a token, read the token keys, read
 * products, and read the API document. Everything else needs a valid access token (401 with
 * {@code WWW-Authenticate: Bearer}), checked here before anything is routed; the services check the
 * relayed token again, with the rules that depend on the document (who owns it). Declared once: the
 * access rules and the API document's security requirements both come from {@link #OPEN}. An open read's
 * {@code HEAD} and {@code OPTIONS} are as open as its {@code GET}.
 */
@Component
public class PublicEndpoints implements AccessRules {

    /** An operation open to anyone: method and gateway path pattern (OpenAPI's {@code {variable}} style). */
    public record Endpoint(HttpMethod method, String path) {
    }

    public static final List<Endpoint> OPEN = List.of(
            new Endpoint(HttpMethod.POST, "/api/users"),
            new Endpoint(HttpMethod.POST, "/api/auth/token"),
            new Endpoint(HttpMethod.GET, "/api/auth/jwks"),
            new Endpoint(HttpMethod.GET, "/api/products"),
            new Endpoint(HttpMethod.GET, "/api/products/{id}"));

    /** The API document and Swagger UI under {@code /api}. */
    static final String[] DOCUMENTS = {"/api/v3/api-docs", "/api/v3/api-docs/**", "/api/swagger-ui.html",
            "/api/swagger-ui/**", "/api/webjars/**"};

    public static boolean isOpen(String method, String path) {
        return OPEN.stream().anyMatch(endpoint -> endpoint.method().name().equalsIgnoreCase(method)
                && endpoint.path().equals(path));
    }

    @Override
    public void configure(ServerHttpSecurity.AuthorizeExchangeSpec exchanges) {
        AccessRules.permitReads(exchanges, DOCUMENTS);
        OPEN.forEach(endpoint -> {
            if (endpoint.method() == HttpMethod.GET) {
                AccessRules.permitReads(exchanges, endpoint.path());
            }
            else {
                exchanges.pathMatchers(endpoint.method(), endpoint.path()).permitAll();
            }
        });
    }
}
