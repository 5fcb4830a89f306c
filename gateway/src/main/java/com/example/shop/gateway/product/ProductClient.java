package com.example.shop.gateway.product;

import java.util.List;

import org.springframework.stereotype.Component;

import com.example.shop.common.remote.RemoteServices;
import com.example.shop.gateway.remote.BackendClient;
import com.example.shop.gateway.remote.BackendsProperties;
import com.example.shop.gateway.web.GatewayJson;

/**
 * product-service: routes {@code /api/products/**}; populates through {@code GET /products?ids=}.
 * Products are public: lookups carry the caller's own token, or nothing (product-service does not trust
 * the gateway's service credential).
 */
@Component
public class ProductClient extends BackendClient {

    public static final String NAME = "product-service";

    public ProductClient(RemoteServices remote, BackendsProperties properties, GatewayJson json) {
        super(NAME, "/products", List.of(), remote, NONE, properties, json);
    }
}
