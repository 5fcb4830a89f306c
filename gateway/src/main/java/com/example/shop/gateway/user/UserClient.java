package com.example.shop.gateway.user;

import java.util.List;

import org.springframework.stereotype.Component;

import com.example.shop.remote.RemoteServices;
import com.example.shop.security.ServiceCredentials;
import com.example.shop.gateway.remote.BackendClient;
import com.example.shop.gateway.remote.BackendsProperties;
import com.example.shop.gateway.web.GatewayJson;

/**
 * user-service: routes {@code /api/users/**} and {@code /api/auth/**} (tokens, JWKS); populates through {@code GET /users?ids=}.
 * Lookups carry the caller's own token, or for an anonymous caller the gateway's service credential, which
 * user-service takes as a public viewer (id and name of each user).
 */
@Component
public class UserClient extends BackendClient {

    public static final String NAME = "user-service";

    public UserClient(RemoteServices remote, ServiceCredentials credentials, BackendsProperties properties,
            GatewayJson json) {
        super(NAME, "/users", List.of("/auth"), remote, credentials.filterUnlessAuthorized(), properties, json);
    }
}
