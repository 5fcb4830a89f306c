package com.example.shop.gateway.routing;

import org.springframework.cloud.gateway.filter.headers.observation.DefaultGatewayObservationConvention;
import org.springframework.cloud.gateway.filter.headers.observation.GatewayObservationConvention;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The routed call to a backend observed as {@code gateway.routed.requests} (on Prometheus
 * {@code gateway_routed_requests_seconds} and {@code gateway_routed_requests_active_seconds}, tagged with the
 * route's id and URI, the method and the status), not under Spring Cloud Gateway's default name,
 * {@code http.client.requests}. That name is also the gateway's {@code WebClient} calls' (the populate lookups,
 * tagged {@code client.name}, {@code uri}, {@code outcome}...), and Prometheus takes one set of tag keys per name:
 * whichever kind of call came first after a start kept the name, and the other's meters were refused (one WARN, then
 * silence), so either the routed calls or the lookups were missing from {@code /actuator/prometheus}. The span and
 * the {@code traceparent} sent on are unchanged.
 */
@Configuration(proxyBeanMethods = false)
class RoutedCallObservation {

    static final String NAME = "gateway.routed.requests";

    @Bean
    GatewayObservationConvention routedCallObservationConvention() {
        return new DefaultGatewayObservationConvention() {
            @Override
            public String getName() {
                return NAME;
            }
        };
    }
}
