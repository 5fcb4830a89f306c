package com.example.shop.gateway.security;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import com.example.shop.gateway.api.PublicApi;
import com.example.shop.gateway.config.SignInLimitProperties;
import com.example.shop.gateway.GatewayFilterOrder;
import com.example.shop.gateway.web.Problems;

/**
 * The operations the public API declares sign-in-limited ({@code sign-in-limited} in {@code shop.api}: sign-up and
 * token requests, {@code POST /api/users}, {@code POST /api/auth/token}, the ones that make user-service hash a
 * password) limited per client address, {@link SignInLimitProperties}: a Bucket4j token
 * bucket per address; over it, 429 problem+json with {@code Retry-After}, the seconds until the next
 * request is let through, before the body is read or anything routed. The buckets live in this gateway
 * instance's memory (a Caffeine cache, bounded in size, forgetting addresses idle for a refill period):
 * each instance counts for itself. An IPv6 client is counted by its /64. The paths are matched as the
 * routes and the access rules match them
 * (decoded), so no other spelling of them escapes the limit.
 */
@Component
public class SignInLimitFilter implements WebFilter, Ordered {

    /** A limited operation: its method and path. */
    private record Limited(HttpMethod method, PathPattern path) {
    }

    private final List<Limited> limited;

    private final Bandwidth bandwidth;

    private final Cache<String, Bucket> buckets;

    public SignInLimitFilter(SignInLimitProperties properties, PublicApi api) {
        this.limited = api.signInLimited().stream()
                .map(operation -> new Limited(operation.method(), PathPatternParser.defaultInstance.parse(operation.path())))
                .toList();
        this.bandwidth = Bandwidth.builder().capacity(properties.capacity())
                .refillGreedy(properties.capacity(), properties.period()).build();
        this.buckets = Caffeine.newBuilder().maximumSize(properties.maxClients())
                .expireAfterAccess(properties.period()).build();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (limited.stream().noneMatch(operation -> operation.method().equals(request.getMethod())
                && operation.path().matches(request.getPath().pathWithinApplication()))) {
            return chain.filter(exchange);
        }
        Bucket bucket = buckets.get(clientAddress(request), address -> Bucket.builder().addLimit(bandwidth).build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return chain.filter(exchange);
        }
        long retryAfter = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999));
        return Mono.error(Problems.tooManySignIns(retryAfter));
    }

    /** The peer's address (a trusted proxy's forwarded one only where {@code server.forward-headers-strategy} says so). */
    private static String clientAddress(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        if (remote == null) {
            return "unknown";
        }
        return remote.getAddress() != null ? clientKey(remote.getAddress()) : remote.getHostString();
    }

    /**
     * An IPv4 address as it is; an IPv6 address by its /64 network, the block one subscriber is usually
     * given (counting each of its addresses apart would let one client take as many as it likes).
     */
    static String clientKey(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] network = Arrays.copyOf(address.getAddress(), 16);
        Arrays.fill(network, 8, 16, (byte) 0);
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/64";
        }
        catch (UnknownHostException cannotHappen) {
            throw new IllegalStateException(cannotHappen);
        }
    }

    @Override
    public int getOrder() {
        return GatewayFilterOrder.SIGN_IN_LIMIT.order();
    }
}
