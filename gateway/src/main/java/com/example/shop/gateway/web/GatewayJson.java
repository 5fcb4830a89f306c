package com.example.shop.gateway.web;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * How the gateway reads and writes the JSON it changes: Boot's mapper, with decimals kept exactly as
 * the backend wrote them ({@code 19.90} stays {@code 19.90}, never a binary double).
 */
@Component
public class GatewayJson {

    private final JsonMapper mapper;

    public GatewayJson(JsonMapper base) {
        this.mapper = base.rebuild()
                .enable(JsonNodeFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .build();
    }

    public JsonNode read(byte[] json) {
        return mapper.readTree(json);
    }

    public byte[] write(Object value) {
        return mapper.writeValueAsBytes(value);
    }
}
