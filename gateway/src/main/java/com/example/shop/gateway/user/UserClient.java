package com.example.shop.gateway.user;

import java.util.List;

import org.springframework.cloud.client.loadbalancer.reactive.LoadBalancedExchangeFilterFunction;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

import com.example.shop.common.remote.RemoteServicesProperties;
import com.example.shop.common.security.ServiceCredentials;
import com.example.shop.gateway.remote.BackendClient;
import com.example.shop.gateway.remote.BackendGuardsFactory;
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

    public UserClient(RemoteServicesProperties remote, WebClient.Builder builder,
            LoadBalancedExchangeFilterFunction loadBalancer, ServiceCredentials credentials, BackendsProperties properties,
            BackendGuardsFactory guards, GatewayJson json) {
        super(NAME, "/users", List.of("/auth"), remote, builder, loadBalancer, credentials.filterUnlessAuthorized(),
                properties, guards, json);
    }
}
