package com.example.shop.gateway.web;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.CacheControl;
import org.springframework.http.ETag;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import com.example.shop.gateway.GatewayFilterOrder;

/**
 * Conditional GETs over what the gateway answers. A GET's 2xx answer, routed or the gateway's own, is held
 * whole (up to {@code shop.gateway.conditional-get.max-body-size}) and goes out with a strong {@code ETag}
 * of its exact bytes: the first 128 bits of their SHA-256, base64url. A populated answer is tagged as
 * populated (this filter decorates the response before routing, so populate's response writes through it), so
 * a change of a populated document changes the tag as a change of the answer's own does.
 * A 200 whose tag the request's {@code If-None-Match} names (weak comparison, any tag of a list, or
 * {@code *}) becomes a 304 with the tag, the cache headers and no body.
 * <p>
 * A tagged answer tells a client it may keep it and must revalidate before using it: {@code Cache-Control:
 * no-cache}, with {@code private} when the request carried {@code Authorization} (the answer is that caller's
 * view: no shared cache may keep it), and {@code Vary: Authorization}; the services' {@code Pragma} and
 * {@code Expires} go. Untouched, and never a 304: anything but a GET, a non-2xx answer, a partial answer
 * (populate left paths unresolved and said so in the exchange's {@link #PARTIAL_ATTRIBUTE}: the next one may be
 * whole), an answer larger than the bound (by its
 * {@code Content-Length} at once, else once that many bytes have come), and a streamed one
 * ({@code writeAndFlushWith}). These keep the services' {@code Cache-Control: no-cache, no-store, ...}.
 * Holding an answer whole has two costs: its size in memory, as populate holds a populated one, and a backend
 * silent midway through the body of a GET's answer is a 504 problem rather than an answer cut off. The memory
 * is reserved, part by part, in the memory of all answers in flight ({@link AnswerMemory}) until the answer has
 * gone out; when it cannot take the next part, the answer goes out untagged as it comes instead (an answer
 * without a tag is still an answer: better than refusing it). A populated answer is reserved by populate, which
 * composed it, and not again here ({@link AnswerMemory#RESERVED_ATTRIBUTE}). A held answer goes out in the parts
 * it came in, not copied into one. Populate and this filter tell each other what they need in the exchange's
 * attributes, never in a header: nothing a client or a backend sends can stand for them.
 * <p>
 * Spring's {@code ServerWebExchange.checkNotModified(etag)} is not used: in Spring Framework 7.0 it does not
 * answer {@code If-None-Match: *} with a 304 on a GET, which RFC 9110 (13.1.2) asks for; its {@link ETag}
 * parsing and weak comparison are.
 */
@Component
public class ConditionalGetFilter implements WebFilter, Ordered {

    /**
     * An exchange attribute, {@code Boolean.TRUE} when the answer is partial (a populated one with paths left
     * unresolved, set by populate): it is not tagged, the next one may be whole.
     */
    public static final String PARTIAL_ATTRIBUTE = ConditionalGetFilter.class.getName() + ".partial";

    private static final int TAG_BYTES = 16;

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final long maxBodySize;

    private final AnswerMemory memory;

    public ConditionalGetFilter(ConditionalGetProperties properties, AnswerMemory memory) {
        this.maxBodySize = properties.maxBodySize().toBytes();
        this.memory = memory;
    }

    @Override
    public int getOrder() {
        return GatewayFilterOrder.CONDITIONAL_GET.order();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (request.getMethod() != HttpMethod.GET) {
            return chain.filter(exchange);
        }
        HttpHeaders headers = request.getHeaders();
        List<ETag> ifNoneMatch = headers.getOrEmpty(HttpHeaders.IF_NONE_MATCH).stream()
                .flatMap(value -> ETag.parse(value).stream())
                .toList();
        AnswerMemory.Reservation reservation = memory.open(AnswerMemory.Reader.CONDITIONAL_GET);
        TaggedResponse response = new TaggedResponse(exchange, ifNoneMatch,
                headers.containsHeader(HttpHeaders.AUTHORIZATION), reservation);
        // the condition is about what the gateway answers: a backend's own 304 would be about its part of it
        ServerHttpRequest unconditional = !headers.containsHeader(HttpHeaders.IF_NONE_MATCH) ? request
                : request.mutate().headers(forwarded -> forwarded.remove(HttpHeaders.IF_NONE_MATCH)).build();
        return chain.filter(exchange.mutate().request(unconditional).response(response).build())
                .doFinally(signal -> reservation.release());
    }

    /** The strong entity tag of these bytes: {@code "<the first 128 bits of their SHA-256, base64url>"}. */
    static String tagOf(List<? extends DataBuffer> body) {
        MessageDigest sha256 = sha256();
        for (DataBuffer part : body) {
            try (DataBuffer.ByteBufferIterator buffers = part.readableByteBuffers()) {
                buffers.forEachRemaining(sha256::update);
            }
        }
        return "\"" + BASE64URL.encodeToString(Arrays.copyOf(sha256.digest(), TAG_BYTES)) + "\"";
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException everyJavaHasIt) {
            throw new IllegalStateException(everyJavaHasIt);
        }
    }

    private static void varyByAuthorization(HttpHeaders headers) {
        List<String> vary = headers.getVary();
        if (vary.stream().noneMatch(HttpHeaders.AUTHORIZATION::equalsIgnoreCase)) {
            List<String> more = new ArrayList<>(vary);
            more.add(HttpHeaders.AUTHORIZATION);
            headers.setVary(more);
        }
    }

    private final class TaggedResponse extends ServerHttpResponseDecorator {

        private final Map<String, Object> attributes;

        private final List<ETag> ifNoneMatch;

        private final boolean authenticated;

        private final AnswerMemory.Reservation reservation;

        TaggedResponse(ServerWebExchange exchange, List<ETag> ifNoneMatch, boolean authenticated,
                AnswerMemory.Reservation reservation) {
            super(exchange.getResponse());
            this.attributes = exchange.getAttributes();
            this.ifNoneMatch = ifNoneMatch;
            this.authenticated = authenticated;
            this.reservation = reservation;
        }

        @Override
        public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
            if (!taggable()) {
                return super.writeWith(body);
            }
            boolean reservedByPopulate = Boolean.TRUE.equals(attributes.get(AnswerMemory.RESERVED_ATTRIBUTE));
            AtomicLong read = new AtomicLong();
            AtomicBoolean holding = new AtomicBoolean(true);
            return Flux.from(body)
                    // one list holding the whole body, or, once it is over the bound or the memory for answers cannot
                    // take it, the parts read so far and then each further part on its own
                    .bufferUntil(part -> {
                        if (!holding.get()) {
                            return true;
                        }
                        int size = part.readableByteCount();
                        if (read.addAndGet(size) > maxBodySize || !reservedByPopulate && !reservation.tryAdd(size)) {
                            holding.set(false);
                            return true;
                        }
                        return false;
                    })
                    .switchOnFirst((first, parts) -> !holding.get()
                            ? super.writeWith(parts.concatMapIterable(Function.identity()))
                            : parts.then(Mono.defer(() -> answer(first.hasValue() ? first.get() : List.of()))))
                    .doOnDiscard(DataBuffer.class, DataBufferUtils::release)
                    .then();
        }

        private boolean taggable() {
            HttpStatusCode status = getStatusCode();
            HttpHeaders headers = getHeaders();
            return status != null && status.is2xxSuccessful() && !Boolean.TRUE.equals(attributes.get(PARTIAL_ATTRIBUTE))
                    && headers.getContentLength() <= maxBodySize;
        }

        private Mono<Void> answer(List<? extends DataBuffer> parts) {
            String tag = tagOf(parts);
            HttpHeaders headers = getHeaders();
            headers.setETag(tag);
            headers.setCacheControl(authenticated ? CacheControl.noCache().cachePrivate() : CacheControl.noCache());
            headers.remove(HttpHeaders.PRAGMA);
            headers.remove(HttpHeaders.EXPIRES);
            varyByAuthorization(headers);
            if (HttpStatus.OK.isSameCodeAs(getStatusCode()) && named(ETag.create(tag))) {
                parts.forEach(DataBufferUtils::release);
                setStatusCode(HttpStatus.NOT_MODIFIED);
                headers.remove(HttpHeaders.CONTENT_TYPE);
                headers.remove(HttpHeaders.CONTENT_LENGTH);
                headers.remove(HttpHeaders.TRANSFER_ENCODING);
                return setComplete();
            }
            // the whole answer is here: its length is known, as it would be for one buffer
            headers.remove(HttpHeaders.TRANSFER_ENCODING);
            headers.setContentLength(parts.stream().mapToLong(DataBuffer::readableByteCount).sum());
            return super.writeWith(Flux.fromIterable(parts));
        }

        /** Whether {@code If-None-Match} names this tag or any ({@code *}), compared weakly (RFC 9110, 13.1.2). */
        private boolean named(ETag tag) {
            return ifNoneMatch.stream().anyMatch(requested -> requested.isWildcard() || requested.compare(tag, false));
        }
    }
}
