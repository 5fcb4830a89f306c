package com.example.shop.user.user.web;

import java.util.Locale;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Request bodies of {@code /users}. Text is trimmed and emails lower-cased before they are validated. */
final class UserRequests {

    static final String EMAIL_SHAPE = "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$";

    static final int MIN_PASSWORD = 8;

    static final int MAX_PASSWORD = 128;

    private UserRequests() {
    }

    /** Sign-up. The password is taken as given (not trimmed) and kept only as a hash. */
    record CreateUser(
            @NotBlank @Size(max = 100) String name,
            @NotNull @Size(max = 254) @Email(regexp = EMAIL_SHAPE, message = "must be a valid email address") String email,
            @NotNull @Size(min = MIN_PASSWORD, max = MAX_PASSWORD) String password) {

        CreateUser {
            name = trim(name);
            email = normalizeEmail(email);
        }

        /** Without the password: request bodies may be logged at debug level. */
        @Override
        public String toString() {
            return "CreateUser[name=" + name + ", email=" + email + ", password=<hidden>]";
        }
    }

    /** A partial update: absent (or null) fields stay as they are. */
    record UpdateUser(
            @Size(min = 1, max = 100) String name,
            @Size(max = 254) @Email(regexp = EMAIL_SHAPE, message = "must be a valid email address") String email) {

        UpdateUser {
            name = trim(name);
            email = normalizeEmail(email);
        }
    }

    static String trim(String value) {
        return value == null ? null : value.strip();
    }

    static String normalizeEmail(String value) {
        return value == null ? null : value.strip().toLowerCase(Locale.ROOT);
    }
}
