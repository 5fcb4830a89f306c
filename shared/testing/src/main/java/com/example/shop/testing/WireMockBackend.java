package com.example.shop.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.Extension;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * WireMock standing in for a service: the one way the tests of every module set one up, usually as
 * {@code @RegisterExtension static final WireMockBackend USERS = WireMockBackend.onFreePort();}.
 * <ul>
 * <li>It is started when it is made, so that a {@code @DynamicPropertySource} can read its {@link #baseUrl()}
 * whenever the test framework asks, on a port chosen then and kept, so that a test can {@link #stop()} it (the
 * service is down: connections are refused) and {@link #start()} it again where the code under test expects it.
 * WireMock's own {@code WireMockExtension} chooses its port when it starts and cannot be stopped by a test.</li>
 * <li>Registered as an extension, it forgets its stubs and the requests it served before each test (only the
 * requests when {@link #keepingStubs()}) and stops after the test class. Register it in the class that uses it,
 * not in a superclass that several test classes share: it would stop after the first of them.</li>
 * <li>Not registered, it is the test's to reset and stop; one that the test classes of a cached application
 * context share is never stopped, since the context outlives each class and keeps calling it.</li>
 * </ul>
 */
public final class WireMockBackend extends WireMockServer implements BeforeEachCallback, AfterAllCallback {

    private volatile boolean keepStubs;

    private WireMockBackend(int port, Extension... extensions) {
        super(WireMockConfiguration.options().port(port).extensions(extensions));
    }

    /** A started backend on a free port, with WireMock {@code extensions} (response transformers, say). */
    public static WireMockBackend onFreePort(Extension... extensions) {
        return onPort(FreePorts.freePort(), extensions);
    }

    /**
     * A started backend on a port {@code p} whose management port {@code p + }{@value FreePorts#MANAGEMENT_PORT_OFFSET}
     * is free too, for an instance whose readiness is checked there ({@link FreePorts#freeInstancePort()}).
     */
    public static WireMockBackend onInstancePort() {
        return onPort(FreePorts.freeInstancePort());
    }

    /** A started backend on {@code port}: an instance's management port, say. */
    public static WireMockBackend onPort(int port, Extension... extensions) {
        WireMockBackend backend = new WireMockBackend(port, extensions);
        backend.start();
        return backend;
    }

    /**
     * Before each test, forget only the requests served, not the stubs: for a backend whose stubs must never be
     * missing, not even for a moment (one polled for its readiness while tests run). Call it where it is made.
     */
    public WireMockBackend keepingStubs() {
        keepStubs = true;
        return this;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!isRunning()) {
            // a test that stopped it failed before it started it again: not the next test's failure too
            start();
        }
        if (keepStubs) {
            resetRequests();
        }
        else {
            resetAll();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }
}
