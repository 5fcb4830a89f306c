package com.example.shop.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import com.example.shop.common.web.ApiWebAutoConfiguration;

/**
 * The gateway. From common it takes the shared defaults and the remote-service discovery, not the
 * services' web rules ({@link ApiWebAutoConfiguration}: strict JSON bodies, a 64 KB body limit, their
 * error handler): it passes bodies through unread and answers its own errors.
 */
@SpringBootApplication(exclude = ApiWebAutoConfiguration.class)
@ConfigurationPropertiesScan
public class GatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(GatewayApplication.class, args);
    }
}
