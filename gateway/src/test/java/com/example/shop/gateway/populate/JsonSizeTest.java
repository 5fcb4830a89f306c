package com.example.shop.gateway.populate;

import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link JsonSize} against what the gateway's mapper really writes. */
class JsonSizeTest {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(JsonNodeFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    @ParameterizedTest
    @ValueSource(strings = {
            "{}", "[]", "{\"a\":1}", "[1,2.50,-3,1e2,null,true,false]",
            "{\"id\":\"b0000000000000000000001\",\"title\":\"Lamp\",\"price\":19.90,\"tags\":[\"x\",\"y\"],\"nested\":{\"a\":[{}]}}",
            "{\"quote\":\"say \\\"hi\\\" \\\\ / \\n\\t\\r\\b\\f \\u0001\"}",
            "{\"é\":\"ü € 😀 日本語\"}",
            "{\"big\":12345678901234567890,\"small\":0.000001,\"exp\":1.5E+3}"})
    void countsTheBytesTheGatewayWrites(String json) {
        JsonNode tree = JSON.readTree(json);

        assertThat(JsonSize.of(tree).bytes()).isEqualTo(JSON.writeValueAsBytes(tree).length);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{}", "[]", "\"text\"", "12", "{\"a\":1}", "[1,[2,[3,{\"b\":[4]}]],null]",
            "{\"id\":\"b1\",\"title\":\"Lamp\",\"tags\":[\"x\",\"y\"],\"nested\":{\"a\":[{},{\"c\":{\"d\":[]}}]}}"})
    void theOverheadCountedAloneIsTheOverheadOfTheWholeSize(String json) {
        JsonNode tree = JSON.readTree(json);

        assertThat(JsonSize.treeOverheadOf(tree)).isEqualTo(JsonSize.of(tree).treeOverhead());
    }

    @ParameterizedTest
    @ValueSource(strings = {"title", "title,price", "missing", "id,tags,nested"})
    void aSelectionCountsWhatItsCopyWrites(String fields) {
        JsonNode document = JSON.readTree(
                "{\"id\":\"b1\",\"title\":\"Lamp\",\"price\":19.90,\"tags\":[\"x\",\"y\"],\"nested\":{\"a\":[{}]}}");
        Set<String> keep = Set.of(fields.split(","));

        JsonSize size = JsonSize.of(document, keep);

        JsonNode copy = Splicer.select((tools.jackson.databind.node.ObjectNode) document, keep);
        assertThat(size.bytes()).isEqualTo(JSON.writeValueAsBytes(copy).length);
        assertThat(size.values()).isEqualTo(JsonSize.of(copy).values());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1,\"b\":[1,2,{\"c\":null}]}"})
    void countsEveryFieldAndElementAtAnyDepth(String json) {
        // a, b, b's three elements, c
        assertThat(JsonSize.of(JSON.readTree(json)).values()).isEqualTo(6);
    }
}
