package com.example.shop.gateway.web;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.reactor.netty.autoconfigure.NettyServerProperties;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.example.shop.web.MalformedUriProblems;
import com.example.shop.web.WebProperties;

/**
 * The sizes and times the gateway takes. Sizes, the same as the services': bodies up to
 * {@code shop.web.max-body-size} ({@link BodyLimitFilter}), all bodies held at once up to
 * {@code shop.gateway.requests.body-budget} ({@link BodyBudget}); request lines and header fields up to
 * Reactor Netty's limits, Boot's {@code server.netty.max-initial-line-length} and
 * {@code server.max-http-request-header-size}, answered with problem+json beyond them
 * ({@link DecoderFailureProblems}). Times: a request's head and body must arrive within
 * {@code shop.gateway.requests.header-timeout} and {@code body-timeout} ({@link RequestDeadlines}); a
 * kept-alive connection waits for its next request for Boot's {@code server.netty.idle-timeout}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebProperties.class)
class RequestLimitsConfiguration {

    @Bean
    NettyServerCustomizer decoderFailureProblems(GatewayJson json, ServerProperties server, NettyServerProperties netty) {
        return new DecoderFailureProblems(json, netty.getMaxInitialLineLength().toBytes(),
                server.getMaxHttpRequestHeaderSize().toBytes())::installOn;
    }

    /** A URI Spring cannot read ({@code ?size=%ZZ}): a problem naming the parameter, as on the services. */
    @Bean
    NettyServerCustomizer malformedUriProblems(JsonMapper jsonMapper) {
        return new MalformedUriProblems(jsonMapper)::installOn;
    }

    @Bean
    NettyServerCustomizer requestDeadlines(RequestLimitsProperties limits, GatewayJson json) {
        return server -> RequestDeadlines.installOn(server, limits, json);
    }

    /**
     * The budget; its bytes in use are the gauge {@code gateway.request.bodies.held} (bytes), the requests refused
     * for want of it the counter {@code gateway.request.bodies.refused} (they are not logged one by one).
     */
    @Bean
    BodyBudget bodyBudget(RequestLimitsProperties limits, MeterRegistry registry) {
        BodyBudget budget = new BodyBudget(Math.toIntExact(limits.bodyBudget().toBytes()));
        Gauge.builder("gateway.request.bodies.held", budget, BodyBudget::held).baseUnit("bytes")
                .description("Bytes of request bodies the gateway holds (shop.gateway.requests.body-budget)")
                .register(registry);
        FunctionCounter.builder("gateway.request.bodies.refused", budget, BodyBudget::refused)
                .description("Requests answered 503 for want of shop.gateway.requests.body-budget")
                .register(registry);
        return budget;
    }
}
