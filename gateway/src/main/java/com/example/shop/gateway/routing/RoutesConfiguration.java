package com.example.shop.gateway.routing;

import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.cloud.gateway.filter.factory.RetryGatewayFilterFactory;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.GatewayFilterSpec;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

import com.example.shop.gateway.api.ApiDeclaration;
import com.example.shop.gateway.api.PublicApi;
import com.example.shop.gateway.populate.PopulateProperties;
import com.example.shop.gateway.remote.BackendClient;
import com.example.shop.gateway.remote.BackendClients;
import com.example.shop.gateway.remote.BackendsProperties;
import com.example.shop.gateway.GatewayFilterOrder;

/**
 * The public API's routes, from its declaration ({@code shop.api}, each backend's {@link BackendClient#routedPaths()}): each resource's
 * {@code /api/<path>/**} to its backend's {@code /<path>/**} ({@code /api/users/**} to user-service's
 * {@code /users/**}, {@code /api/auth/**} to its {@code /auth/**}, {@code /api/products/**} to product-service's
 * {@code /products/**}), methods, headers, statuses and bodies unchanged, each request to one of the backend's
 * instances ({@code lb://<backend>}, Spring Cloud LoadBalancer). Nothing else is routed, so {@code /internal/**}
 * is not reachable (and {@link InternalPathGuard} makes sure no routed path turns into it).
 *
 * <p>Filters, outermost first ({@link GatewayFilterOrder}): populate, on a route that has populatable endpoints
 * ({@link PopulateGatewayFilterFactory}, configured with the route's own); the prefix off; the backend's guards
 * (bulkhead, route time limit, circuit breaker: one verdict per client request); the prefix back on a
 * {@code Location} that names one of the backend's paths ({@code /users/{id}} answers as {@code /api/users/{id}});
 * then, for a GET only, a retry when the chosen instance cannot be reached or drops the connection, which sends it
 * again through the load balancer, so to the next instance, within the route's time
 * ({@code shop.backends.route-timeout}, which the guards' time limit holds over all the attempts). A backend's
 * answer, 5xx included, is never retried: it passes through.
 */
@Configuration(proxyBeanMethods = false)
public class RoutesConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RoutesConfiguration.class);

    @Bean
    RouteLocator routes(RouteLocatorBuilder builder, BackendClients backends, PublicApi api,
            PopulateGatewayFilterFactory populate, BackendsProperties properties) {
        RouteLocatorBuilder.Builder routes = builder.routes();
        for (BackendClient backend : backends.all()) {
            for (String path : backend.routedPaths()) {
                String publicPath = ApiDeclaration.PREFIX + path;
                // the backend's first path is the route named after it (user-service), any other by its path too
                String id = path.equals(backend.routedPaths().get(0)) ? backend.name()
                        : backend.name() + path.replace('/', '-');
                List<PublicApi.Populatable> populatable = api.populatable(path);
                routes.route(id, route -> route.path(publicPath, publicPath + "/**")
                        .filters(filters -> routed(filters, populate, populatable, backend, properties.routeRetries()))
                        .uri(backend.loadBalancedUri()));
            }
        }
        return routes.build();
    }

    private static GatewayFilterSpec routed(GatewayFilterSpec filters, PopulateGatewayFilterFactory populate,
            List<PublicApi.Populatable> populatable, BackendClient backend, int retries) {
        if (!populatable.isEmpty()) {
            filters.filter(populate.apply(config -> config.setEndpoints(populatable)));
        }
        filters.stripPrefix(1).filter(new BackendGuardFilter(backend.guards()), GatewayFilterOrder.ROUTE.order())
                .rewriteResponseHeader(HttpHeaders.LOCATION, backendLocation(backend), ApiDeclaration.PREFIX + "$1");
        if (retries > 0) {
            filters.retry(config -> config.setRetries(retries)
                    .setMethods(HttpMethod.GET)
                    .setSeries()
                    .setStatuses()
                    .setExceptions(IOException.class));
        }
        return filters;
    }

    /**
     * A {@code Location} that names one of the backend's own paths ({@code /users/{id}}), which clients
     * reach under the gateway's prefix: the whole of it as group 1.
     */
    static String backendLocation(BackendClient backend) {
        String paths = backend.routedPaths().stream().map(Pattern::quote).collect(Collectors.joining("|"));
        return "^((?:" + paths + ")(?:[/?#].*)?)$";
    }

    @Bean
    ApplicationListener<ApplicationReadyEvent> gatewayStartupReport(BackendClients backends,
            PopulateProperties populate) {
        return event -> {
            var env = event.getApplicationContext().getEnvironment();
            log.info("gateway ready: HTTP port {}; {}; populate max depth {}, budget {}, batches of {}",
                    env.getProperty("local.server.port"), String.join(", ", backends.all().stream()
                            .map(backend -> routed(backend) + " -> " + describe(backend)).toList()),
                    populate.maxDepth(), populate.budget(), populate.batchSize());
        };
    }

    private static List<String> routed(BackendClient backend) {
        return backend.routedPaths().stream().map(path -> ApiDeclaration.PREFIX + path + "/**").toList();
    }

    private static String describe(BackendClient backend) {
        return backend.name() + " at " + backend.instances() + " (load-balanced)";
    }
}
