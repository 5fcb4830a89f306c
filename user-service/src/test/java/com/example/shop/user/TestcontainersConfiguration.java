package com.example.shop.user;

import org.testcontainers.mongodb.MongoDBContainer;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;

/** A real MongoDB in Docker; its address reaches Boot as connection details, so the embedded store backs off. */
@TestConfiguration(proxyBeanMethods = false)
class TestcontainersConfiguration {

    static final String MONGO_IMAGE = "mongo:8.0.4";

    @Bean
    @ServiceConnection
    MongoDBContainer mongoDbContainer() {
        return new MongoDBContainer(MONGO_IMAGE);
    }
}
