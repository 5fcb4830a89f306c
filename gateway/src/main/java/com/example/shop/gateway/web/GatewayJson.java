package com.example.shop.gateway.web;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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

    /**
     * {@code value} written in parts of at most {@link Chunks#SIZE} bytes: a large answer is held once, not
     * also as the one array it would be copied into at the end, and goes out part by part.
     */
    public List<byte[]> writeChunks(Object value) {
        Chunks chunks = new Chunks();
        mapper.writeValue(chunks, value);
        return chunks.done();
    }

    /** An output stream that keeps what is written in arrays of {@link #SIZE} bytes (the last one trimmed). */
    static final class Chunks extends OutputStream {

        static final int SIZE = 64 * 1024;

        private final List<byte[]> full = new ArrayList<>();

        private byte[] current = new byte[SIZE];

        private int used;

        @Override
        public void write(int b) {
            if (used == SIZE) {
                next();
            }
            current[used++] = (byte) b;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            while (length > 0) {
                if (used == SIZE) {
                    next();
                }
                int n = Math.min(length, SIZE - used);
                System.arraycopy(bytes, offset, current, used, n);
                used += n;
                offset += n;
                length -= n;
            }
        }

        private void next() {
            full.add(current);
            current = new byte[SIZE];
            used = 0;
        }

        List<byte[]> done() {
            if (used > 0) {
                full.add(used == SIZE ? current : Arrays.copyOf(current, used));
            }
            return full;
        }
    }
}
