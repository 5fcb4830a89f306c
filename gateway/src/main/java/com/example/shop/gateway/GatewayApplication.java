package com.example.shop.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import com.example.shop.web.ApiWebAutoConfiguration;

/**
 * The gateway. From the shared modules it takes the defaults and the remote-service discovery, not the
 * services' web rules ({@link ApiWebAutoConfiguration}: strict JSON bodies, their error handler): it passes
 * bodies through unparsed and answers its own errors. It does hold them to the services' body limit, once a
 * request is let in ({@code web.BodyLimitFilter}).
 */
@SpringBootApplication(exclude = ApiWebAutoConfiguration.class)
@ConfigurationPropertiesScan
public class GatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(GatewayApplication.class, args);
    }
}
