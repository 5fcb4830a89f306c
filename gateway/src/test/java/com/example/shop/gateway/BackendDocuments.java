package com.example.shop.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/** What the WireMock backends of the tests answer: users {@code a…n} and products {@code b…n} as JSON. */
public final class BackendDocuments {

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
