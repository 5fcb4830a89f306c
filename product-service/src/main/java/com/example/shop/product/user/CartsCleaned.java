package com.example.shop.product.user;

/** user-service's answer to removing a product from every cart: how many carts held it. */
public record CartsCleaned(String productId, long cartsChanged) {
}
