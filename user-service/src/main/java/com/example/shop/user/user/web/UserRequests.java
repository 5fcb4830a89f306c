package com.example.shop.user.user.web;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import com.example.shop.web.text.Emails;
import com.example.shop.web.text.PlainText;
import com.example.shop.user.user.domain.User;

/**
 * Request bodies of {@code /users}. Names are trimmed and emails put in their {@linkplain Emails#canonical
 * canonical form} before they are validated; both must be {@link PlainText}, and an email ASCII.
 */
final class UserRequests {

    static final int MIN_PASSWORD = 8;

    static final int MAX_PASSWORD = 128;

    private UserRequests() {
    }

    /** Sign-up. The password is taken as given (not trimmed) and kept only as a hash. */
    record CreateUser(
            @NotBlank @Size(max = User.MAX_NAME) @PlainText String name,
            @NotNull @Size(max = 254) @PlainText @Email(regexp = Emails.REGEX, message = Emails.MESSAGE) String email,
            @NotNull @Size(min = MIN_PASSWORD, max = MAX_PASSWORD) String password) {

        CreateUser {
            name = trim(name);
            email = Emails.canonical(email);
        }

        /** Without the password: request bodies may be logged at debug level. */
        @Override
        public String toString() {
            return "CreateUser[name=" + name + ", email=" + email + ", password=<hidden>]";
        }
    }

    /** A partial update: absent (or null) fields stay as they are. */
    record UpdateUser(
            @Size(min = 1, max = User.MAX_NAME) @PlainText String name,
            @Size(max = 254) @PlainText @Email(regexp = Emails.REGEX, message = Emails.MESSAGE) String email) {

        UpdateUser {
            name = trim(name);
            email = Emails.canonical(email);
        }
    }

    static String trim(String value) {
        return value == null ? null : value.strip();
    }
}
