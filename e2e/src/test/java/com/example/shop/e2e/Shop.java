package com.example.shop.e2e;

import java.time.Duration;
import java.util.Map;

/**
 * One user-service and one product-service, each knowing the other, and the gateway in front of them:
 * each a process of its own, started together and all ready when {@link #start} returns.
 */
record Shop(ServiceProcess users, ServiceProcess products, ServiceProcess gateway) {

    /** Starts the three, the gateway with these further properties ({@code --name=value}). */
    static Shop start(String... gatewayProperties) {
        int userPort = ServiceProcess.freePort();
        int productPort = ServiceProcess.freePort();
        ServiceProcess users = ServiceProcess.start("user-service", userPort,
                Map.of("PRODUCT_SERVICE_URL", "http://localhost:" + productPort));
        ServiceProcess products = ServiceProcess.start("product-service", productPort,
                Map.of("USER_SERVICE_URL", "http://localhost:" + userPort));
        ServiceProcess gateway = ServiceProcess.startGateway(users.baseUrl(), products.baseUrl(), gatewayProperties);
        Shop shop = new Shop(users, products, gateway);
        try {
            for (ServiceProcess process : new ServiceProcess[] {users, products, gateway}) {
                process.awaitReady(Duration.ofSeconds(120));
            }
        }
        catch (RuntimeException | Error notReady) {
            shop.stop();
            throw notReady;
        }
        return shop;
    }

    void stop() {
        for (ServiceProcess process : new ServiceProcess[] {gateway, users, products}) {
            process.stop();
        }
    }
}
