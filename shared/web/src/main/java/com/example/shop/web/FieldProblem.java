package com.example.shop.web;

/** One offending request field (a JSON path such as {@code items[0].quantity}) or parameter, and what is wrong with it. */
public record FieldProblem(String field, String message) {
}
