package com.example.shop.web;

import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** What a client is told about a body that strict JSON reading rejects. */
class ApiExceptionHandlerTest {

    record Line(String productId, Integer quantity) {
    }

    record Order(String note, List<Line> lines) {
    }

    private final JsonMapper strict = StrictJsonInput.strict(JsonMapper.builder().build());

    private FieldProblem problemOf(String json) {
        JacksonException ex = catchThrowableOfType(JacksonException.class, () -> strict.readValue(json, Order.class));
        assertThat(ex).as("rejected: " + json).isNotNull();
        return ApiExceptionHandler.describe(ex);
    }

    @Test
    void namesTheNestedFieldOfAWrongType() {
        assertThat(problemOf("{\"lines\":[{\"productId\":\"a\",\"quantity\":\"5\"}]}"))
                .isEqualTo(new FieldProblem("lines[0].quantity", "must be an integer"));
        assertThat(problemOf("{\"lines\":[{\"quantity\":1.5}]}").field()).isEqualTo("lines[0].quantity");
        assertThat(problemOf("{\"note\":7}")).isEqualTo(new FieldProblem("note", "must be a string"));
        assertThat(problemOf("{\"lines\":{}}")).isEqualTo(new FieldProblem("lines", "must be an array"));
    }

    @Test
    void namesUnknownAndDollarFields() {
        assertThat(problemOf("{\"lines\":[{\"price\":1}]}").field()).isEqualTo("lines[0].price");
        assertThat(problemOf("{\"lines\":[{\"price\":1}]}").message()).contains("productId", "quantity");
        assertThat(problemOf("{\"$where\":\"x\"}")).isEqualTo(new FieldProblem("$where", "field names must not start with '$'"));
    }

    @Test
    void namesDuplicateKeysAndMalformedBodies() {
        assertThat(problemOf("{\"note\":\"a\",\"note\":\"b\"}")).isEqualTo(new FieldProblem("note", "appears more than once"));
        assertThat(problemOf("{\"note\":").message()).startsWith("malformed JSON");
        assertThat(problemOf("{\"note\":\"a\"} {}").field()).isEqualTo("body");
    }

    @Test
    void namesANestedDuplicateKeyAndTellsItFromOtherReadErrorsAtTheSameName() {
        assertThat(problemOf("{\"lines\":[{\"quantity\":1,\"quantity\":2}]}"))
                .isEqualTo(new FieldProblem("lines[0].quantity", "appears more than once"));
        assertThat(problemOf("{\"note\":\"a\",}").message()).startsWith("malformed JSON");
        assertThat(problemOf("{\"note\":\"a\" \"note\"").message()).startsWith("malformed JSON");
    }
}
