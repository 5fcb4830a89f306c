package com.example.shop.user.user.web;

import com.example.shop.user.user.domain.User;

/** A user as the API shows it to the user itself and to services: ids as 24-hex strings; never the password hash. */
public record UserResponse(String id, String name, String email, CartResponse cart) implements UserView {

    public static UserResponse of(User user) {
        return new UserResponse(user.id().toHexString(), user.name(), user.email(), CartResponse.of(user.cart()));
    }
}
