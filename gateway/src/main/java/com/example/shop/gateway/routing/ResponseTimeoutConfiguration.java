package com.example.shop.gateway.routing;

import java.time.Duration;

import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.example.shop.gateway.remote.BackendsProperties;

/**
 * The route's time ({@code shop.backends.route-timeout}) as the HTTP client's read timeout: every wait for the
 * next part of a backend's answer, its body included, so a backend that sends its headers and then stalls cannot
 * hold a client, a connection and a bulkhead place for ever (before any of the body has gone out the answer is
 * a 504 naming the backend, {@code ProblemExceptionHandler}; after it the response is cut off). Until the status
 * line and headers the backend's {@code <backend>-route} time limiter, of the same length, decides first.
 * <p>
 * Spring Cloud Gateway's own {@code spring.cloud.gateway.server.webflux.httpclient.response-timeout} is not used:
 * it would be a second owner of the route's time (and a 504 of its own making), so start-up refuses it.
 */
@Configuration(proxyBeanMethods = false)
class ResponseTimeoutConfiguration {

    @Bean
    HttpClientCustomizer responseReadTimeout(BackendsProperties backends, HttpClientProperties gateway) {
        if (gateway.getResponseTimeout() != null) {
            throw new IllegalStateException("spring.cloud.gateway.server.webflux.httpclient.response-timeout is set, "
                    + "but a route's time is shop.backends.route-timeout alone: remove it and set that instead");
        }
        Duration timeout = backends.routeTimeout();
        return client -> client.responseTimeout(timeout);
    }
}
