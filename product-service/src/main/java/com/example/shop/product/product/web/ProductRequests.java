package com.example.shop.product.product.web;

import java.math.BigDecimal;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.annotation.JsonDeserialize;

import com.example.shop.web.text.PlainText;
import com.example.shop.web.IdOrReferenceDeserializer;
import com.example.shop.web.ObjectIds;
import com.example.shop.product.product.domain.Product;

/**
 * Request bodies of {@code /products}. Title and description are trimmed before they are validated, and
 * are {@link PlainText} (the description may hold line breaks and tabs, the title not); a price is read
 * from the JSON text exactly (never through a double). {@code userId} is an id, or a
 * (populated) user carrying its {@code id}; it is optional (the caller owns what it creates) and, when
 * given, must name the caller.
 */
final class ProductRequests {

    static final int MAX_TITLE = Product.MAX_TITLE;

    static final int MAX_DESCRIPTION = 5000;

    private ProductRequests() {
    }

    record CreateProduct(
            @NotBlank @Size(max = MAX_TITLE) @PlainText String title,
            @NotNull @HttpUrl String imageUrl,
            @NotNull @Price BigDecimal price,
            @NotBlank @Size(max = MAX_DESCRIPTION) @PlainText(multiline = true) String description,
            @Pattern(regexp = ObjectIds.REGEX, message = ObjectIds.MESSAGE)
            @JsonDeserialize(using = IdOrReferenceDeserializer.class) String userId) {

        CreateProduct {
            title = trim(title);
            price = plain(price);
            description = trim(description);
        }
    }

    /** A partial update: absent (or null) fields stay as they are. */
    record UpdateProduct(
            @Size(min = 1, max = MAX_TITLE) @PlainText String title,
            @HttpUrl String imageUrl,
            @Price BigDecimal price,
            @Size(min = 1, max = MAX_DESCRIPTION) @PlainText(multiline = true) String description,
            @Pattern(regexp = ObjectIds.REGEX, message = ObjectIds.MESSAGE)
            @JsonDeserialize(using = IdOrReferenceDeserializer.class) String userId) {

        UpdateProduct {
            title = trim(title);
            price = plain(price);
            description = trim(description);
        }
    }

    static String trim(String value) {
        return value == null ? null : value.strip();
    }

    /** {@code 1E+2} is kept as {@code 100}: no exponent in what is stored and shown. */
    static BigDecimal plain(BigDecimal value) {
        return value == null || value.scale() >= 0 ? value : value.setScale(0);
    }
}
