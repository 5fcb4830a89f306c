package com.example.shop.user.auth.domain;

import com.example.shop.security.KeyException;

/**
 * The key that signs access tokens is missing or does not fit; user-service refuses to start (reported by
 * common's key failure analyzer).
 */
public class SigningKeyException extends KeyException {

    public SigningKeyException(String description, String action, Throwable cause) {
        super(description, action, cause);
    }
}
