package com.example.shop.user.user.domain;

import org.bson.types.ObjectId;

import org.springframework.data.mongodb.core.index.Indexed;

/** One line of a cart: a reference to a product (an ObjectId, as Mongoose stores a ref) and a quantity. */
public record CartItem(@Indexed(name = "cart_product") ObjectId productId, int quantity) {
}
