package com.example.shop.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Problem+json, naming the parameter, for a request whose URI Spring cannot read: a {@code %} not followed by two
 * hex digits ({@code ?size=%ZZ}), or a character a URI must percent-encode ({@code ?sort=a|b}, a space). Spring's
 * server adapter answers such a request with an empty 400 before any filter or controller sees it (it makes a
 * {@link URI} of the request target first); this handler, just behind the HTTP codec of every HTTP/1.1
 * connection, remembers the target of each request and, when the answer to it is that empty 400, gives it a body:
 * the first query parameter whose name or value {@link URI} refuses ({@code errors[0].field}), or the path.
 * Every other response passes untouched.
 */
public final class MalformedUriProblems {

    private static final String NAME = "shop.malformedUriProblems";

    private final JsonMapper json;

    public MalformedUriProblems(JsonMapper json) {
        this.json = json;
    }

    /** The server, with the handler behind the HTTP codec of every connection. */
    public HttpServer installOn(HttpServer server) {
        return server.doOnChannelInit((observer, channel, remoteAddress) -> {
            if (channel.pipeline().get(NettyPipeline.HttpCodec) != null && channel.pipeline().get(NAME) == null) {
                channel.pipeline().addAfter(NettyPipeline.HttpCodec, NAME, new Handler());
            }
        });
    }

    /**
     * What is wrong with a request target ({@code /products?size=%ZZ}) that {@link URI} refuses: the first query
     * parameter it refuses, by name; or the path. Null when it reads.
     */
    static ApiException describe(String target) {
        try {
            new URI(target);
            return null;
        }
        catch (URISyntaxException unreadable) {
            int query = target.indexOf('?');
            if (query >= 0) {
                for (String pair : target.substring(query + 1).split("&")) {
                    try {
                        new URI("?" + pair);
                    }
                    catch (URISyntaxException inPair) {
                        int equals = pair.indexOf('=');
                        return ApiException.badRequest(name(equals < 0 ? pair : pair.substring(0, equals)),
                                why(inPair));
                    }
                }
            }
            return new ApiException(HttpStatus.BAD_REQUEST, "The request's path " + why(unreadable) + ".", List.of());
        }
    }

    /** A parameter's name as Spring would decode it, or as it was sent when it does not decode. */
    private static String name(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        }
        catch (IllegalArgumentException undecodable) {
            return raw;
        }
    }

    /** The reason of {@code failure}, in the words of the API. */
    private static String why(URISyntaxException failure) {
        String reason = failure.getReason();
        if (reason.startsWith("Malformed escape pair")) {
            return "is not percent-encoded correctly: a % must be followed by two hexadecimal digits";
        }
        int index = failure.getIndex();
        if (reason.startsWith("Illegal character") && index >= 0 && index < failure.getInput().length()) {
            return "holds " + String.format(Locale.ROOT, "U+%04X", failure.getInput().codePointAt(index))
                    + ", which a URI must percent-encode";
        }
        return "cannot be read (" + reason + ")";
    }

    /** One per connection: the targets of its requests, in order, matched with their answers in order. */
    private final class Handler extends ChannelDuplexHandler {

        private final Deque<String> targets = new ArrayDeque<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof HttpRequest request) {
                targets.add(request.uri());
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (msg instanceof HttpResponse response && response.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
                String target = targets.poll();
                ApiException problem = target != null && response.status().code() == HttpStatus.BAD_REQUEST.value()
                        && msg instanceof FullHttpResponse full && full.content().readableBytes() == 0
                        ? describe(target) : null;
                if (problem != null) {
                    byte[] body = json.writeValueAsBytes(problem.getBody());
                    FullHttpResponse withBody = ((FullHttpResponse) msg).replace(Unpooled.wrappedBuffer(body));
                    withBody.headers().set(HttpHeaderNames.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE)
                            .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
                    ((FullHttpResponse) msg).release();
                    ctx.write(withBody, promise);
                    return;
                }
            }
            ctx.write(msg, promise);
        }
    }
}
