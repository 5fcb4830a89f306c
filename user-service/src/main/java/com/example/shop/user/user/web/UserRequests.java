package com.example.shop.user.user.web;

import java.util.Locale;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Request bodies of {@code /users}. Text is trimmed and emails lower-cased before they are validated. */
final class UserRequests {

    static final String EMAIL_SHAPE = "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$";

    private UserRequests() {
    }

    record CreateUser(
            @NotBlank @Size(max = 100) String name,
            @NotNull @Size(max = 254) @Email(regexp = EMAIL_SHAPE, message = "must be a valid email address") String email) {

        CreateUser {
            name = trim(name);
            email = normalizeEmail(email);
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
