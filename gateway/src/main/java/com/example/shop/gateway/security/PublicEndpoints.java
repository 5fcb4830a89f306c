package com.example.shop.gateway.security;

import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.stereotype.Component;

import com.example.shop.security.AccessRules;
import com.example.shop.gateway.api.PublicApi;

/**
 * What anyone may do at the gateway without a token: the operations the public API declares open
 * ({@code open} of each resource in {@code shop.api}: sign up, get a token, read the token keys, read products),
 * and read the API document. Everything else needs a valid access token (401 with
 * {@code WWW-Authenticate: Bearer}), checked here before anything is routed; the services check the
 * relayed token again, with the rules that depend on the document (who owns it). The access rules and the API
 * document's security requirements both come from the declaration ({@link PublicApi#open()}). An open read's
 * {@code HEAD} and {@code OPTIONS} are as open as its {@code GET}.
 */
@Component
public class PublicEndpoints implements AccessRules {

    /** The API document and Swagger UI under {@code /api}. */
    static final String[] DOCUMENTS = {"/api/v3/api-docs", "/api/v3/api-docs/**", "/api/swagger-ui.html",
            "/api/swagger-ui/**", "/api/webjars/**"};

    private final PublicApi api;

    public PublicEndpoints(PublicApi api) {
        this.api = api;
    }

    @Override
    public void configure(ServerHttpSecurity.AuthorizeExchangeSpec exchanges) {
        AccessRules.permitReads(exchanges, DOCUMENTS);
        api.open().forEach(operation -> {
            if (operation.method() == HttpMethod.GET) {
                AccessRules.permitReads(exchanges, operation.path());
            }
            else {
                exchanges.pathMatchers(operation.method(), operation.path()).permitAll();
            }
        });
    }
}
