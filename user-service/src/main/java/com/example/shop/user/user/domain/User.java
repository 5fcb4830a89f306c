package com.example.shop.user.user.domain;

import org.bson.types.ObjectId;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

import com.example.shop.deletion.Deletion;
import com.example.shop.deletion.Tombstoned;

/**
 * A user and the cart embedded in it. Every change is one atomic update of this document (see
 * {@link UserService} and {@code CartService}); nothing reads, modifies and writes it back.
 * {@code passwordHash} is an Argon2id hash (see {@code PasswordHasher}); it never leaves the service and is
 * left out of {@link #toString()}. Users stored before passwords existed have none and cannot sign in. The
 * name is indexed: pages are filtered on it ({@link UserService#FILTERABLE}).
 * <p>
 * {@code deletion} is set by {@code DELETE /users/{id}} (see {@link UserService#delete}): from then on the
 * user is a 404 everywhere and can no longer sign in, and the document, emptied of the person's data,
 * stays only until product-service has deleted the user's products (see {@link UserCleanup}).
 */
@Document("users")
public record User(
        @Id ObjectId id,
        @Indexed(name = "user_name") String name,
        @Indexed(name = "email_unique", unique = true) String email,
        Cart cart,
        String passwordHash,
        Deletion deletion) implements Tombstoned {

    /** The longest name, in characters. */
    public static final int MAX_NAME = 100;

    public User {
        cart = cart == null ? Cart.EMPTY : cart;
    }

    @Override
    public String toString() {
        return "User[id=" + id + ", name=" + name + ", email=" + email + ", cart=" + cart
                + ", passwordHash=<hidden>, deletion=" + deletion + "]";
    }
}
