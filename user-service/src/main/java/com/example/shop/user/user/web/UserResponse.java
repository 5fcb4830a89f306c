package com.example.shop.user.user.web;

import com.example.shop.user.cart.web.CartResponse;
import com.example.shop.user.user.domain.User;

/** A user as the API shows it: ids as 24-hex strings. */
public record UserResponse(String id, String name, String email, CartResponse cart) {

    public static UserResponse of(User user) {
        return new UserResponse(user.id().toHexString(), user.name(), user.email(), CartResponse.of(user.cart()));
    }
}
