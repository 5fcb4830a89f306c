package com.example.shop.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/** What the WireMock backends of the tests answer: users {@code a…n} and products {@code b…n} as JSON. */
public final class BackendDocuments {

    /** An instance's management port is its port + this (shop.management.port-offset). */
    public static final int MANAGEMENT_PORT_OFFSET = 1000;

    private BackendDocuments() {
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

    /** The 24-hex id number {@code n} of a kind: {@code a} for users, {@code b} for products. */
    public static String id(char kind, int n) {
        String digits = Integer.toString(n);
        return kind + "0".repeat(23 - digits.length()) + digits;
    }

    public static String user(int n) {
        return "{\"id\":\"" + id('a', n) + "\",\"name\":\"user " + n + "\",\"email\":\"u" + n
                + "@example.com\",\"cart\":{\"items\":[]}}";
    }

    public static String product(int n, int owner) {
        return "{\"id\":\"" + id('b', n) + "\",\"title\":\"product " + n + "\",\"price\":19.90,\"userId\":\""
                + id('a', owner) + "\"}";
    }

    public static String array(IntStream values, IntFunction<String> item) {
        return "[" + String.join(",", values.mapToObj(item).toList()) + "]";
    }
}
