package com.example.shop.product.product.domain;

import java.time.Instant;

import org.bson.types.ObjectId;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A user whose products were deleted because user-service deleted the user ({@link ProductService#deleteAllOf}).
 * A create that was checked against user-service just before the deletion and stored just after it
 * finds this record and deletes what it stored, so no product outlives its deleted owner. User ids are
 * never reused, so the record never stands in anyone else's way.
 *
 * @param userId the deleted user
 * @param at     when its products were first deleted
 */
@Document("deleted_owners")
public record DeletedOwner(@Id ObjectId userId, Instant at) {
}
