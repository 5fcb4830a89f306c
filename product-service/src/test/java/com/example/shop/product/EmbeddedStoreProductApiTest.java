package com.example.shop.product;

/** The API contract on the embedded in-memory store (the {@code test} profile's default). */
class EmbeddedStoreProductApiTest extends ProductApiContract {
}
