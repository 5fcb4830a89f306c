package com.example.shop.gateway.web;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The memory all answers in flight may hold at the gateway ({@link AnswerMemory}). The default is measured
 * against the gateway's heap of 96 MB ({@code jvm.options}), see {@link AnswerMemory}: raise it with the heap.
 *
 * @param maxSize    the bytes reserved by every answer being composed or held at once: populated answers (the
 *                   backend's answer, the lookups' answers, the documents spliced in) and the answers held
 *                   whole to be tagged; a populated request beyond it is a 503, a plain GET goes out untagged
 * @param retryAfter what a 503 for it says in {@code Retry-After} (whole seconds, at least 1)
 */
@ConfigurationProperties("shop.gateway.answer-memory")
@Validated
public record AnswerMemoryProperties(
        @DefaultValue("24MB") @NotNull DataSize maxSize,
        @DefaultValue("1s") @NotNull Duration retryAfter) {
}
