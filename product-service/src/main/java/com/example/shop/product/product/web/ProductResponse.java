package com.example.shop.product.product.web;

import java.math.BigDecimal;

import org.bson.Document;
import org.bson.types.Decimal128;

import com.example.shop.product.product.domain.Product;

/** A product as the API shows it: ids as 24-hex strings, the price as an exact JSON number. */
public record ProductResponse(String id, String title, String imageUrl, BigDecimal price, String description,
        String userId) {

    public static ProductResponse of(Product product) {
        return new ProductResponse(product.id().toHexString(), product.title(), product.imageUrl(), product.price(),
                product.description(), product.userId().toHexString());
    }

    /**
     * The answer for a product's stored document (the fields of {@link Product}, {@code price} a
     * {@code Decimal128}), read without the entity mapping on the hot reads (pages and batch lookups).
     */
    public static ProductResponse of(Document product) {
        Decimal128 price = product.get("price", Decimal128.class);
        return new ProductResponse(product.getObjectId("_id").toHexString(), product.getString("title"),
                product.getString("imageUrl"), price == null ? null : price.bigDecimalValue(),
                product.getString("description"), product.getObjectId("userId").toHexString());
    }
}
