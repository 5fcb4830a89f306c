package com.example.shop.remote;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the services this process calls run: {@code shop.remote.<service>} lists the base URLs of its
 * instances (a comma-separated list from one environment variable works too, e.g.
 * {@code PRODUCT_SERVICE_URL=http://a:8082,http://b:8082}). Calls are spread over them by Spring Cloud
 * LoadBalancer, which drops instances whose readiness check fails.
 */
@ConfigurationProperties("shop")
public record RemoteServicesProperties(@DefaultValue Map<String, List<URI>> remote) {
}
