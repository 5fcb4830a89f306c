package com.example.shop.product;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.mongodb.MongoDBContainer;

import org.springframework.boot.testcontainers.service.connection.ServiceConnection;

/** The same API contract on a real MongoDB; skipped where no Docker engine runs. */
@Testcontainers(disabledWithoutDocker = true)
class MongoDbProductApiTest extends ProductApiContract {

    @Container
    @ServiceConnection
    static final MongoDBContainer mongo = new MongoDBContainer("mongo:8.0.4");
}
