package com.example.shop.gateway.web;

import java.util.List;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import com.example.shop.web.ApiException;

/**
 * Problem+json for the requests Reactor Netty turns away while decoding them, before Spring sees them: a
 * request line over {@code server.netty.max-initial-line-length} (414) and header fields over {@code
 * server.max-http-request-header-size} (431), however far over. Reactor Netty answers those with an empty
 * body and closes the connection; this handler, just behind the HTTP codec, gives that answer a body. Any
 * other response passes untouched (the gateway's own 414 or 431, should it ever write one, has a body).
 */
@ChannelHandler.Sharable
final class DecoderFailureProblems extends ChannelOutboundHandlerAdapter {

    private static final String NAME = "shop.decoderFailureProblems";

    private final byte[] uriTooLong;

    private final byte[] headersTooLarge;

    DecoderFailureProblems(GatewayJson json, long maxInitialLineLength, long maxHeaderSize) {
        this.uriTooLong = json.write(ApiException.problem(HttpStatus.URI_TOO_LONG,
                "The request line (method, URI and version) is longer than the limit of " + maxInitialLineLength
                        + " bytes.", List.of()));
        this.headersTooLarge = json.write(ApiException.problem(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                "The request's header fields are larger than the limit of " + maxHeaderSize + " bytes.", List.of()));
    }

    /** The server, with this handler behind the HTTP codec of every connection. */
    HttpServer installOn(HttpServer server) {
        return server.doOnChannelInit((observer, channel, remoteAddress) -> {
            if (channel.pipeline().get(NettyPipeline.HttpCodec) != null && channel.pipeline().get(NAME) == null) {
                channel.pipeline().addAfter(NettyPipeline.HttpCodec, NAME, this);
            }
        });
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof FullHttpResponse response && response.content().readableBytes() == 0) {
            byte[] body = switch (response.status().code()) {
                case 414 -> uriTooLong;
                case 431 -> headersTooLarge;
                default -> null;
            };
            if (body != null) {
                FullHttpResponse withBody = response.replace(Unpooled.wrappedBuffer(body));
                withBody.headers().set(HttpHeaderNames.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE)
                        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
                response.release();
                ctx.write(withBody, promise);
                return;
            }
        }
        ctx.write(msg, promise);
    }
}
