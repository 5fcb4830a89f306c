package com.example.shop.gateway.remote;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.example.shop.remote.RemoteServices;
import com.example.shop.security.ServiceCredentials;
import com.example.shop.gateway.api.ApiDeclaration.AnonymousLookups;
import com.example.shop.gateway.api.PublicApi;
import com.example.shop.gateway.populate.ResourceFetchers;
import com.example.shop.gateway.web.GatewayJson;

/**
 * One {@link BackendClient} per backend the public API declares, built once, and the populate lookups on them.
 * A backend's guards take their settings from the resilience4j instances named after it; one the YAML does not
 * name gets the shared configuration {@code populate} for the lookups' bulkhead {@code <backend>-populate}. The
 * routed requests' time limit {@code <backend>-route} is the route's time, {@code shop.backends.route-timeout}
 * ({@link RouteTimeLimiters}).
 */
@Configuration(proxyBeanMethods = false)
public class BackendClientsConfiguration {

    static final String POPULATE = "populate";

    @Bean
    BackendClients backendClients(PublicApi api, RemoteServices remote, ServiceCredentials credentials,
            BackendsProperties properties, GatewayJson json, BulkheadRegistry bulkheads, TimeLimiterRegistry timeLimiters) {
        return new BackendClients(api.backends().stream().map(name -> {
            // the instance the YAML configures when it does, else one of the shared configuration
            bulkheads.bulkhead(name + "-" + POPULATE, POPULATE);
            RouteTimeLimiters.register(timeLimiters, name, properties.routeTimeout());
            return new BackendClient(name, api.routedPaths(name), remote,
                    api.anonymousLookups(name) == AnonymousLookups.SERVICE_CREDENTIAL
                            ? credentials.filterUnlessAuthorized() : BackendClient.NONE,
                    properties, json);
        }).toList());
    }

    @Bean
    ResourceFetchers resourceFetchers(PublicApi api, BackendClients clients) {
        return new ResourceLookups(api, clients);
    }
}
