package com.example.shop.gateway.api;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.example.shop.remote.RemoteServicesProperties;

/** The public API's declaration, checked against the remote services configured: a bad one stops the start. */
@Configuration(proxyBeanMethods = false)
public class ApiConfiguration {

    @Bean
    PublicApi publicApi(ApiDeclaration declaration, RemoteServicesProperties remote) {
        return new PublicApi(declaration, remote.remote().keySet());
    }
}
