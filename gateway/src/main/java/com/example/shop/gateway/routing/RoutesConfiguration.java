package com.example.shop.gateway.routing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.example.shop.gateway.config.PopulateProperties;
import com.example.shop.gateway.product.ProductClient;
import com.example.shop.gateway.remote.BackendClient;
import com.example.shop.gateway.user.UserClient;

/**
 * The public API: {@code /api/users/**} to user-service's {@code /users/**}, {@code /api/products/**}
 * to product-service's {@code /products/**}, methods, headers, statuses and bodies unchanged. Nothing
 * else is routed, so {@code /internal/**} is not reachable (and {@link InternalPathGuard} makes sure no
 * routed path turns into it).
 */
@Configuration(proxyBeanMethods = false)
public class RoutesConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RoutesConfiguration.class);

    @Bean
    RouteLocator routes(RouteLocatorBuilder builder, UserClient users, ProductClient products, PopulateFilter populate) {
        return builder.routes()
                .route(users.name(), route -> route.path("/api/users", "/api/users/**")
                        .filters(filters -> filters.filter(populate).stripPrefix(1).filter(new BackendGuardFilter(users.guards())))
                        .uri(users.url()))
                .route(products.name(), route -> route.path("/api/products", "/api/products/**")
                        .filters(filters -> filters.filter(populate).stripPrefix(1).filter(new BackendGuardFilter(products.guards())))
                        .uri(products.url()))
                .build();
    }

    @Bean
    ApplicationListener<ApplicationReadyEvent> gatewayStartupReport(UserClient users, ProductClient products,
            PopulateProperties populate) {
        return event -> {
            var env = event.getApplicationContext().getEnvironment();
            log.info("gateway ready: HTTP port {}; /api/users/** -> {}, /api/products/** -> {}; populate max depth {}, "
                            + "budget {}, batches of {}", env.getProperty("local.server.port"), describe(users),
                    describe(products), populate.maxDepth(), populate.budget(), populate.batchSize());
        };
    }

    private static String describe(BackendClient backend) {
        return backend.name() + " at " + backend.url();
    }
}
