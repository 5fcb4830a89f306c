package com.example.shop.product.product.domain;

import java.math.BigDecimal;

import org.bson.types.ObjectId;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.Field;
import org.springframework.data.mongodb.core.mapping.FieldType;

import com.example.shop.deletion.Deletion;
import com.example.shop.deletion.Tombstoned;

/**
 * A product, owned by the user {@code userId} (an ObjectId, as Mongoose stores a ref). The price is a
 * {@code Decimal128} in the store and a {@link BigDecimal} here, never a double. Title, price and owner are
 * indexed: pages are filtered on them ({@link ProductService#FILTERABLE}).
 *
 * @param deletion set by {@code DELETE} (or when the owner is deleted): the product is gone from the API
 *                 at once, and the document stays only until every cart has let go of it (see
 *                 {@link ProductCleanup})
 */
@Document("products")
public record Product(
        @Id ObjectId id,
        @Indexed(name = "product_title") String title,
        String imageUrl,
        @Indexed(name = "product_price") @Field(targetType = FieldType.DECIMAL128) BigDecimal price,
        String description,
        @Indexed(name = "product_user") ObjectId userId,
        Deletion deletion) implements Tombstoned {

    /** The longest title, in characters. */
    public static final int MAX_TITLE = 200;
}
