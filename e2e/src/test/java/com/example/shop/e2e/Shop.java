package com.example.shop.e2e;

import java.time.Duration;

/**
 * The shared user-service and product-service ({@link Services}) with a gateway of a class's own in front of
 * them: each a process of its own, all ready when {@link #start} returns.
 */
record Shop(ServiceProcess users, ServiceProcess products, ServiceProcess gateway) {

    /** Starts a gateway in front of {@code services}, with these further properties ({@code --name=value}). */
    static Shop start(Services services, String... gatewayProperties) {
        ServiceProcess gateway = ServiceProcess.startGateway(services.users().baseUrl(), services.products().baseUrl(),
                gatewayProperties);
        try {
            gateway.awaitReady(Duration.ofSeconds(120));
        }
        catch (RuntimeException | Error notReady) {
            gateway.stop();
            throw notReady;
        }
        return new Shop(services.users(), services.products(), gateway);
    }

    /** Stops the gateway; the services stay up for the next class. */
    void stop() {
        gateway.stop();
    }
}
