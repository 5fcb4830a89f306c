package com.example.shop.gateway;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import com.example.shop.gateway.web.GatewayJson;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayJsonTest {

    @Test
    void decimalsAreWrittenBackExactlyAsTheyWereRead() {
        GatewayJson json = new GatewayJson(JsonMapper.builder().build());
        String body = "{\"price\":19.90,\"big\":1000000.01,\"tiny\":0.1,\"n\":3}";

        byte[] written = json.write(json.read(body.getBytes(StandardCharsets.UTF_8)));

        assertThat(new String(written, StandardCharsets.UTF_8)).isEqualTo(body);
    }
}
