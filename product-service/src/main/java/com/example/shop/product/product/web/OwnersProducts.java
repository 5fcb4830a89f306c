package com.example.shop.product.product.web;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.bson.types.ObjectId;

import com.example.shop.product.product.domain.Product;

/**
 * One owner's entry in the answer of {@code GET /products/owned}: the owner's products, or with
 * {@code count=true} how many there are; the other field is left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OwnersProducts(String userId, List<ProductResponse> products, Long count) {

    public static OwnersProducts listed(ObjectId owner, List<Product> products) {
        return new OwnersProducts(owner.toHexString(), products.stream().map(ProductResponse::of).toList(), null);
    }

    public static OwnersProducts counted(ObjectId owner, long count) {
        return new OwnersProducts(owner.toHexString(), null, count);
    }
}
