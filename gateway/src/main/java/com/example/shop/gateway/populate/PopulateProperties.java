package com.example.shop.gateway.populate;

import java.time.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * @param maxDepth    the most references one populate path may follow in a row ({@code SHOP_POPULATE_MAX_DEPTH})
 * @param budget      the time a populated request may take from its arrival: reading the backend's answer
 *                    (504 when that alone takes longer) and the lookups, after which the response goes out
 *                    with what has arrived ({@code SHOP_POPULATE_BUDGET}). It is the populate step's own, within
 *                    the route's time ({@code shop.backends.route-timeout}), which still bounds the backend's
 *                    status line and headers and each wait for the next part of its body; shorter than it (3 s of
 *                    10 s by default), it is what a populated request waits at most for its answer and lookups. A
 *                    write's starts when its answer arrives (the write's own time is the route's), and covers the
 *                    lookups
 * @param batchSize   the most ids in one lookup; the services accept up to 100
 * @param lookupConcurrency the most lookups of one request in flight at once to one backend; all requests'
 *                    lookups together are bounded by the backend's bulkhead {@code <backend>-populate}
 * @param maxBodySize the largest backend response the gateway will populate
 * @param maxDocuments the most documents populated into one answer ({@code SHOP_POPULATE_MAX_DOCUMENTS}): a
 *                    request whose plan can bring more (a page's size times each list's {@code limit} per parent,
 *                    and so on down the paths) is a 400 before any backend is called; one that brings more than
 *                    foreseen (arrays of ids) is a 400 when they are counted. The default, 10,000, is one list at
 *                    its largest in a page at its largest ({@code GET /api/users?size=100&populate=products})
 * @param maxAnswerMemory the memory one populated answer may take while it is composed and sent
 *                    ({@code SHOP_POPULATE_MAX_ANSWER_MEMORY}), counted as it goes: the bytes of the backend's answer
 *                    and of the lookups' answers as they arrive (a lookup shared in flight: once whole), the trees
 *                    parsed from them, and each document spliced in, at its size as written plus its copy's containers ({@link JsonSize}), in every
 *                    place it stands; beyond it, a 400 naming {@code populate}, nothing of the answer sent. See
 *                    {@link AnswerBudget}. The default, 16 MB, takes the largest answer of small documents the
 *                    document limit lets through (100 users with 100 products of ~150 bytes each: 15.4 MB counted,
 *                    1.9 MB written) and 12 MB of large ones (a page of 22 products of 5 KB, each with its owner's
 *                    100); it is two thirds of all the answers in flight may hold
 * @param shareInFlightLookups whether a lookup identical to one in flight (resource, ids, list options and viewer)
 *                    waits for that one's answer instead of calling the backend again
 *                    ({@code SHOP_POPULATE_SHARE_IN_FLIGHT_LOOKUPS}; {@link SharedLookups}). A shared lookup's answer
 *                    is counted in each answer's memory once it is whole (it is at most
 *                    {@code shop.backends.max-lookup-size}), not as its bytes arrive
 */
@ConfigurationProperties("shop.populate")
@Validated
public record PopulateProperties(
        @DefaultValue("3") @Min(1) @Max(10) int maxDepth,
        @DefaultValue("3s") @NotNull Duration budget,
        @DefaultValue("100") @Min(1) @Max(100) int batchSize,
        @DefaultValue("4") @Min(1) @Max(16) int lookupConcurrency,
        @DefaultValue("8MB") @NotNull DataSize maxBodySize,
        @DefaultValue("10000") @Min(1) long maxDocuments,
        @DefaultValue("16MB") @NotNull DataSize maxAnswerMemory,
        @DefaultValue("true") boolean shareInFlightLookups) {
}
