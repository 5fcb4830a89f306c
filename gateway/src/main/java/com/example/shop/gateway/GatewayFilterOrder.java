package com.example.shop.gateway;

import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;
import org.springframework.core.Ordered;

/**
 * The order of the gateway's own filters, declared once and in the order a request meets them; each filter takes
 * its order from here. Two chains: the web filters run around everything the gateway answers, routed or its own
 * (Spring WebFlux sorts them with the framework's and Spring Security's); the gateway filters run around a routed
 * request (Spring Cloud Gateway sorts its global filters and the route's own together). {@code GatewayFilterOrderTest}
 * pins both chains as they run, the framework's filters included.
 */
public enum GatewayFilterOrder {

    // ---- the web filters (WebFilter)

    /** {@code SignInLimitFilter}: 429 over an address's sign-in limit, before anything reads the request. */
    SIGN_IN_LIMIT(Chain.WEB, Ordered.HIGHEST_PRECEDENCE + 10),

    /** {@code ConditionalGetFilter}: right after Spring Security's chain (-100), so a 401 or 403 is not tagged. */
    CONDITIONAL_GET(Chain.WEB, Chain.SECURITY_ORDER + 1),

    /** {@code BodyLimitFilter}: a request body read whole and bounded once it is let in, before it is routed. */
    BODY_LIMIT(Chain.WEB, Chain.SECURITY_ORDER + 2),

    // ---- the gateway filters of a route (GlobalFilter and the route's own GatewayFilters)

    /** {@code WriteInvalidationFilter}: first, on the path as the client sent it: a write makes the cache stale. */
    WRITE_INVALIDATION(Chain.GATEWAY, Ordered.HIGHEST_PRECEDENCE),

    /** {@code PopulateGatewayFilterFactory}'s filter: just before the response writer, which writes through it. */
    POPULATE(Chain.GATEWAY, NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER - 1),

    /**
     * {@code ReferenceFilterGlobalFilter}: inside populate (whose spec is checked first), the filters through a
     * reference turned into the page's own before it is routed; beside the response writer, which writes nothing
     * when it answers an empty page itself.
     */
    REFERENCE_FILTERS(Chain.GATEWAY, NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER),

    /**
     * The route's own filters, in the order {@code RoutesConfiguration} lists them: the prefix off,
     * {@code BackendGuardFilter}, the {@code Location} rewrite, a GET's retry.
     */
    ROUTE(Chain.GATEWAY, 0),

    /** {@code InternalPathGuard}: just after the route's URL is set, a 404 for one that reaches internals. */
    INTERNAL_PATH_GUARD(Chain.GATEWAY, RouteToRequestUrlFilter.ROUTE_TO_URL_FILTER_ORDER + 1);

    /** Which chain a filter is in: orders compare only within one. */
    public enum Chain {

        WEB, GATEWAY;

        /** Spring Security's web filter chain ({@code WebFluxSecurityConfiguration}, not public). */
        static final int SECURITY_ORDER = -100;
    }

    private final Chain chain;

    private final int order;

    GatewayFilterOrder(Chain chain, int order) {
        this.chain = chain;
        this.order = order;
    }

    public Chain chain() {
        return chain;
    }

    public int order() {
        return order;
    }
}
