package com.example.shop.user.user.web;

import org.bson.Document;

import com.example.shop.security.Caller;
import com.example.shop.user.user.domain.User;

/**
 * A user as one caller may see it, the one place this is decided: the user itself gets the full
 * {@link UserResponse}; any other signed-in user and every service get the {@link PublicUser}, without
 * email or cart. No service needs more: product-service asks only whether a user exists, and the gateway's
 * own credential is its anonymous callers' (it looks users up with the caller's token when there is one).
 */
public sealed interface UserView permits UserResponse, UserView.PublicUser {

    /** What every signed-in user may see of another. */
    record PublicUser(String id, String name) implements UserView {

        /** The public view of a user's stored document, of which only {@code _id} and {@code name} are read. */
        public static PublicUser of(Document user) {
            return new PublicUser(user.getObjectId("_id").toHexString(), user.getString("name"));
        }
    }

    static UserView of(User user, Caller caller) {
        return caller.isUser(user.id().toHexString())
                ? UserResponse.of(user)
                : new PublicUser(user.id().toHexString(), user.name());
    }
}
