package com.example.shop.user.user.web;

import com.example.shop.common.security.Caller;
import com.example.shop.user.user.domain.User;

/**
 * A user as one caller may see it: the user itself and services get the full {@link UserResponse}; any
 * other signed-in user gets the {@link PublicUser}, without email or cart.
 */
public sealed interface UserView permits UserResponse, UserView.PublicUser {

    /** What every signed-in user may see of another. */
    record PublicUser(String id, String name) implements UserView {
    }

    static UserView of(User user, Caller caller) {
        return caller.isService() || caller.isUser(user.id().toHexString())
                ? UserResponse.of(user)
                : new PublicUser(user.id().toHexString(), user.name());
    }
}
