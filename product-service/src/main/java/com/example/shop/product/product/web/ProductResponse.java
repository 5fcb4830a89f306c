package com.example.shop.product.product.web;

import java.math.BigDecimal;

import com.example.shop.product.product.domain.Product;

/** A product as the API shows it: ids as 24-hex strings, the price as an exact JSON number. */
public record ProductResponse(String id, String title, String imageUrl, BigDecimal price, String description,
        String userId) {

    public static ProductResponse of(Product product) {
        return new ProductResponse(product.id().toHexString(), product.title(), product.imageUrl(), product.price(),
                product.description(), product.userId().toHexString());
    }
}
