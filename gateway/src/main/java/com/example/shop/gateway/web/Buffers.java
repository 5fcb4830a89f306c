package com.example.shop.gateway.web;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/** The bytes of a body the gateway has read whole (a request it counts, a response it populates). */
public final class Buffers {

    private Buffers() {
    }

    /** The buffer's bytes, its (pooled) buffer given back at once. */
    public static byte[] bytes(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        }
        finally {
            DataBufferUtils.release(buffer);
        }
    }
}
