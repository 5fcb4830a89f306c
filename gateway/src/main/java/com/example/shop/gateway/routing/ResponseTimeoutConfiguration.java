package com.example.shop.gateway.routing;

import java.time.Duration;

import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How long a backend may take to answer a routed request: {@code
 * spring.cloud.gateway.server.webflux.httpclient.response-timeout}, the route time limit's length. Spring
 * Cloud Gateway applies it until the status line and headers arrive (504 after it), as the backend's
 * {@code <backend>-route} time limiter does; here it also bounds every wait for the next part of the
 * body, so a backend that sends its headers and then stalls cannot hold a client, a connection and a
 * bulkhead place for ever: before any of the body has gone out the answer is a 504 naming the backend
 * ({@code ProblemExceptionHandler}), after it the response is cut off.
 */
@Configuration(proxyBeanMethods = false)
class ResponseTimeoutConfiguration {

    @Bean
    HttpClientCustomizer responseReadTimeout(HttpClientProperties properties) {
        Duration timeout = properties.getResponseTimeout();
        return client -> timeout == null ? client : client.responseTimeout(timeout);
    }
}
