package com.example.shop.e2e;

import java.time.Duration;

/**
 * The shared user-service and product-service ({@link Services}) with a gateway of a class's own in front of
 * them: each a process of its own, all ready when {@link #start} returns.
 */
record Shop(ServiceProcess users, ServiceProcess products, ServiceProcess gateway) {

    /** Starts a gateway in front of {@code services}, with these further properties ({@code --name=value}). */
    static Shop start(Services services, String... gatewayProperties) {
        return ready(services, ServiceProcess.startGateway(services.users().baseUrl(), services.products().baseUrl(),
                gatewayProperties));
    }

    /** Starts a gateway as {@link #start} does, with the JVM options it has in production (its 96 MB heap). */
    static Shop startProduction(Services services, String... gatewayProperties) {
        return ready(services, ServiceProcess.startProductionGateway(services.users().baseUrl(),
                services.products().baseUrl(), gatewayProperties));
    }

    private static Shop ready(Services services, ServiceProcess gateway) {
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
