package com.example.shop.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Free local ports for the servers a test starts: WireMock backends, service processes. */
public final class FreePorts {

    /** An instance's management port is its port + this (shop.management.port-offset). */
    public static final int MANAGEMENT_PORT_OFFSET = 1000;

    private FreePorts() {
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A free port {@code p} for an instance of a service whose management port, {@code p + 1000} (the
     * convention of every process here, which the gateway's readiness checks follow), is free too.
     */
    public static int freeInstancePort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = freePort();
            if (port + MANAGEMENT_PORT_OFFSET > 65535) {
                continue;
            }
            try (ServerSocket management = new ServerSocket(port + MANAGEMENT_PORT_OFFSET)) {
                return port;
            }
            catch (IOException taken) {
                // another pair
            }
        }
        throw new IllegalStateException("No free port p with p + " + MANAGEMENT_PORT_OFFSET + " free too");
    }
}
