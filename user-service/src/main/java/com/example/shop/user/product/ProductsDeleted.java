package com.example.shop.user.product;

/** product-service's answer to deleting a deleted user's products: how many it deleted now. */
public record ProductsDeleted(String userId, long productsDeleted) {
}
