package com.example.shop.gateway;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.handler.FilteringWebHandler;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.core.DecoratingProxy;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebHandler;
import org.springframework.web.server.handler.WebHandlerDecorator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's filters in the order a request meets them, as they run: the web filter chain of the application's
 * HTTP handler, and the gateway filter chain Spring Cloud Gateway puts together for a route (its global filters and
 * the route's own, sorted once). The gateway's own take their places from {@link GatewayFilterOrder}.
 */
// the context of ManagementPortTest, shared
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.cloud.loadbalancer.configurations=default"})
class GatewayFilterOrderTest {

    @Autowired
    HttpHandler httpHandler;

    @Autowired
    FilteringWebHandler gatewayHandler;

    @Autowired
    RouteLocator routes;

    @Test
    void theDeclarationListsEachChainInRequestOrder() {
        for (GatewayFilterOrder.Chain chain : GatewayFilterOrder.Chain.values()) {
            List<Integer> orders = Arrays.stream(GatewayFilterOrder.values()).filter(filter -> filter.chain() == chain)
                    .map(GatewayFilterOrder::order).toList();
            assertThat(orders).as(chain.name()).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void theWebFiltersRunInThisOrder() {
        assertThat(webFilters()).containsExactly(
                "UrlHandlerFilter",           // Spring's: a trailing slash trimmed (shop-security)
                "SignInLimitFilter",          // SIGN_IN_LIMIT
                "WebFilterChainProxy",        // Spring Security's chain: tokens and access rules
                "ConditionalGetFilter",       // CONDITIONAL_GET
                "BodyLimitFilter");           // BODY_LIMIT
    }

    @Test
    void aPopulatableRoutesFiltersRunInThisOrder() {
        assertThat(gatewayFilters("user-service")).containsExactly(
                "WriteInvalidationFilter",    // WRITE_INVALIDATION
                "RemoveCachedBodyFilter",
                "AdaptCachedBodyGlobalFilter",
                "Populate",                   // POPULATE, configured with this route's endpoints
                "ReferenceFilterGlobalFilter", // REFERENCE_FILTERS: inside populate, beside the response writer
                "NettyWriteResponseFilter",   // writes the answer through populate's response
                "StripPrefix",                // ROUTE: the route's own, in the order RoutesConfiguration lists them
                "BackendGuardFilter",
                "RewriteResponseHeader",
                "Retry",
                "RouteToRequestUrlFilter",
                "InternalPathGuard",          // INTERNAL_PATH_GUARD, on the URL just set
                "ReactiveLoadBalancerClientFilter",
                "LoadBalancerServiceInstanceCookieFilter",
                "NettyRoutingFilter");        // no forward:, websocket or weighted routes: their filters are off
    }

    @Test
    void eachRoutePopulatesItsOwnEndpointsAndOneWithNoneHasNoPopulateFilter() {
        assertThat(combined("user-service")).filteredOn(filter -> filter.startsWith("[Populate "))
                .containsExactly("[Populate endpoints = 'GET /api/users, GET /api/users/{id}, GET /api/users/{id}/cart, "
                        + "POST /api/users, PATCH /api/users/{id}, POST /api/users/{id}/cart/items, "
                        + "PUT /api/users/{id}/cart/items/{productId}']");
        assertThat(combined("product-service")).filteredOn(filter -> filter.startsWith("[Populate "))
                .containsExactly("[Populate endpoints = 'GET /api/products, GET /api/products/{id}, POST /api/products, "
                        + "PATCH /api/products/{id}']");

        List<String> populatable = gatewayFilters("user-service");
        assertThat(gatewayFilters("user-service-auth")).doesNotContain("Populate")
                .containsExactlyElementsOf(populatable.stream().filter(name -> !name.equals("Populate")).toList());
    }

    private List<String> webFilters() {
        WebHandler handler = (WebHandler) httpHandler;
        while (!(handler instanceof org.springframework.web.server.handler.FilteringWebHandler)) {
            handler = ((WebHandlerDecorator) handler).getDelegate();
        }
        List<WebFilter> filters = ((org.springframework.web.server.handler.FilteringWebHandler) handler).getFilters();
        return filters.stream().map(GatewayFilterOrderTest::name).toList();
    }

    private List<String> gatewayFilters(String routeId) {
        return filters(routeId).stream().map(GatewayFilterOrderTest::name).toList();
    }

    private List<String> combined(String routeId) {
        return filters(routeId).stream().map(Object::toString).toList();
    }

    /** The route's filters as Spring Cloud Gateway runs them (FilteringWebHandler's combined, sorted list). */
    private List<GatewayFilter> filters(String routeId) {
        Route route = routes.getRoutes().filter(candidate -> candidate.getId().equals(routeId)).blockFirst();
        List<GatewayFilter> combined = ReflectionTestUtils.invokeMethod(gatewayHandler, "getCombinedFilters", route);
        return combined.stream().map(filter -> filter instanceof OrderedGatewayFilter ordered
                ? ordered.getDelegate() : filter).toList();
    }

    private static String name(Object filter) {
        if (filter instanceof DecoratingProxy proxy) {
            return proxy.getDecoratedClass().getSimpleName();
        }
        // a filter factory's filter says its name first: [StripPrefix parts = 1]
        String described = filter.toString();
        return described.startsWith("[") ? described.substring(1).split("[ \\]]", 2)[0]
                : filter.getClass().getSimpleName();
    }
}
