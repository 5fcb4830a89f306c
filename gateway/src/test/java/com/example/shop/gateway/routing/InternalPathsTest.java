package com.example.shop.gateway.routing;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class InternalPathsTest {

    @ParameterizedTest
    @ValueSource(strings = {"/internal", "/internal/carts/items/x", "/users/../internal/carts", "/users/..%2F..%2Finternal/x",
            "/users/%2e%2e/internal/x", "/users/x/../../internal", "//internal/x", "/./internal", "/Internal/x",
            "/users/..;/internal/x", "/internal;jsessionid=1/x", "/users\\..\\internal", "/users/%zz", "/users/a%2Fb"})
    void pathsThatABackendCouldReadAsInternalAreInternal(String path) {
        assertThat(InternalPaths.isInternal(path)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/users", "/users/abc/cart", "/products/internal", "/users/internal/x", "/internalx",
            "/users/../products", "/"})
    void ordinaryPathsAreNot(String path) {
        assertThat(InternalPaths.isInternal(path)).isFalse();
    }
}
