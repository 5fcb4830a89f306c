package com.example.shop.e2e;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One user-service and one product-service, each knowing the other, shared by every end-to-end class of a
 * test run: started the first time a class asks for them (a {@code Services} parameter of its
 * {@code @BeforeAll} method, resolved by {@link Shared}), ready when it gets them, and stopped when the run
 * ends (JUnit closes what its root store holds). Each class starts the gateway it tests in front of them,
 * with its own settings. The user-service runs its embedded store on a known port, so that a second
 * instance can share the store as instances do in production ({@link TwoUserServiceInstancesIT}).
 */
record Services(ServiceProcess users, ServiceProcess products, int storePort) implements AutoCloseable {

    private static Services start() {
        int storePort = ServiceProcess.freePort();
        int userPort = ServiceProcess.freePort();
        int productPort = ServiceProcess.freePort();
        ServiceProcess users = ServiceProcess.start("user-service", userPort, Map.of(
                "PRODUCT_SERVICE_URL", "http://localhost:" + productPort,
                "SHOP_STORE_EMBEDDED_PORT", Integer.toString(storePort)));
        ServiceProcess products = ServiceProcess.start("product-service", productPort,
                Map.of("USER_SERVICE_URL", users.baseUrl()));
        Services services = new Services(users, products, storePort);
        try {
            users.awaitReady(Duration.ofSeconds(120));
            products.awaitReady(Duration.ofSeconds(120));
        }
        catch (RuntimeException | Error notReady) {
            services.close();
            throw notReady;
        }
        return services;
    }

    /** The address of the user-service's store, for another instance to share it ({@code MONGODB_URI}). */
    String storeUri() {
        return "mongodb://127.0.0.1:" + storePort + "/user-service";
    }

    @Override
    public void close() {
        try {
            users.stop();
        }
        finally {
            products.stop();
        }
    }

    /** Hands a class the services of this run, starting them for the first class that asks. */
    static final class Shared implements ParameterResolver {

        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Services.class);

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == Services.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot().getStore(NAMESPACE).computeIfAbsent(Services.class, key -> start(), Services.class);
        }
    }
}
