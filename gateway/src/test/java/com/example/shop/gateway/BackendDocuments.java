package com.example.shop.gateway;

import java.util.function.IntFunction;
import java.util.stream.IntStream;

import com.github.tomakehurst.wiremock.WireMockServer;

import org.springframework.test.context.DynamicPropertyRegistry;

import com.example.shop.testing.FreePorts;

/** What the WireMock backends of the tests answer: users {@code a…n} and products {@code b…n} as JSON. */
public final class BackendDocuments {

    /** An instance's management port is its port + this (shop.management.port-offset). */
    public static final int MANAGEMENT_PORT_OFFSET = FreePorts.MANAGEMENT_PORT_OFFSET;

    private BackendDocuments() {
    }

    /** Points the gateway at WireMock backends ({@code @DynamicPropertySource}). */
    public static void backends(DynamicPropertyRegistry registry, WireMockServer users, WireMockServer products) {
        registry.add("shop.remote.user-service", users::baseUrl);
        registry.add("shop.remote.product-service", products::baseUrl);
    }

    public static int freePort() {
        return FreePorts.freePort();
    }

    /** {@link FreePorts#freeInstancePort()}: a free port whose management port (+ 1000) is free too. */
    public static int freeInstancePort() {
        return FreePorts.freeInstancePort();
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
