package com.example.shop.product;

import java.time.Duration;

import reactor.netty.http.client.HttpClient;

import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The HTTP client of the product-service tests. */
final class TestClients {

    private TestClients() {
    }

    /**
     * One connection per request. With pooled keep-alive connections, about one run in five stalled: a
     * POST sent on a connection whose previous answer was an error reached the handler only when the
     * client gave up 20 s later (seen in DEBUG logs; not yet explained).
     */
    static WebTestClient oneConnectionPerRequest(int port) {
        return WebTestClient.bindToServer(new ReactorClientHttpConnector(HttpClient.newConnection()))
                .baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(20))
                .build();
    }
}
