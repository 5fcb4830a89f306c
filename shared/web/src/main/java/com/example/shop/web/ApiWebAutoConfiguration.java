package com.example.shop.web;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.codec.json.JacksonJsonDecoder;
import org.springframework.web.reactive.config.WebFluxConfigurer;

/**
 * The web rules the services share: strict JSON request bodies, strict integer parameters, a body size
 * limit, and problem+json for every error (a URI Spring cannot read included).
 */
@AutoConfiguration(after = JacksonAutoConfiguration.class, before = WebFluxAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@EnableConfigurationProperties(WebProperties.class)
public class ApiWebAutoConfiguration {

    @Bean
    ApiExceptionHandler apiExceptionHandler() {
        return new ApiExceptionHandler();
    }

    @Bean
    BodySizeLimitFilter bodySizeLimitFilter(WebProperties properties, JsonMapper jsonMapper) {
        return new BodySizeLimitFilter(properties.maxBodySize().toBytes(), jsonMapper);
    }

    /** Server side only: the WebClients of the service keep Boot's lenient reader. Runs after Boot's codec setup. */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    WebFluxConfigurer strictJsonRequestBodies(WebProperties properties, JsonMapper jsonMapper) {
        JsonMapper strict = StrictJsonInput.strict(jsonMapper);
        int limit = Math.toIntExact(properties.maxBodySize().toBytes());
        return new WebFluxConfigurer() {
            @Override
            public void configureHttpMessageCodecs(ServerCodecConfigurer configurer) {
                configurer.defaultCodecs().maxInMemorySize(limit);
                JacksonJsonDecoder decoder = new JacksonJsonDecoder(strict);
                decoder.setMaxInMemorySize(limit);
                configurer.defaultCodecs().jacksonJsonDecoder(decoder);
            }
        };
    }

    /** {@code ?size=%ZZ} is a problem naming {@code size}, not an empty 400: see {@link MalformedUriProblems}. */
    @Bean
    NettyServerCustomizer malformedUriProblems(JsonMapper jsonMapper) {
        return new MalformedUriProblems(jsonMapper)::installOn;
    }

    /** {@code page=0x10} is a 400, not page 16: see {@link StrictIntegers}. */
    @Bean
    StrictIntegers strictIntegerParameters() {
        return new StrictIntegers();
    }
}
