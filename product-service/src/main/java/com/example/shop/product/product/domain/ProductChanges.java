package com.example.shop.product.product.domain;

import java.math.BigDecimal;

import org.bson.types.ObjectId;

/**
 * A partial update of a product: null fields stay as they are. {@code userId}, when given, may only
 * name the owner who makes the change (ownership cannot be given away).
 */
public record ProductChanges(String title, String imageUrl, BigDecimal price, String description, ObjectId userId) {

    public boolean isEmpty() {
        return title == null && imageUrl == null && price == null && description == null && userId == null;
    }
}
