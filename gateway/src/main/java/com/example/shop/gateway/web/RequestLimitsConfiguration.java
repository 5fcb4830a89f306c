package com.example.shop.gateway.web;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.reactor.netty.autoconfigure.NettyServerProperties;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.example.shop.common.web.MalformedUriProblems;
import com.example.shop.common.web.WebProperties;

/**
 * The sizes the gateway takes, the same as the services': bodies up to {@code shop.web.max-body-size}
 * ({@link BodyLimitFilter}); request lines and header fields up to Reactor Netty's limits, Boot's
 * {@code server.netty.max-initial-line-length} and {@code server.max-http-request-header-size}, answered
 * with problem+json beyond them ({@link DecoderFailureProblems}).
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
}
