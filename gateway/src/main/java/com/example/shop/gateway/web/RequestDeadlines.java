package com.example.shop.gateway.web;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

import org.springframework.http.MediaType;

/**
 * The time a request has to arrive, on each connection (one instance per connection, just behind the HTTP
 * codec): {@link RequestLimitsProperties}. Reactor Netty's own limits do not cover it: its idle timeout
 * ({@code server.netty.idle-timeout}) waits for a request's first bytes only and starts again at each read,
 * so a client that trickles a request line or headers a byte at a time keeps a connection forever; its
 * {@code requestTimeout} starts once the headers are in and, in 1.3.8, closes the connection without an
 * answer.
 * <ul>
 * <li><b>Request line and headers</b>: whole within {@code header-timeout}, counted from the connection's
 * opening for its first request, and on a kept-alive connection from the first bytes of the next one (or
 * from the end of the answer before it, for bytes sent while that answer was on its way). Past it, a
 * connection that has sent some of a request gets a 408 problem and is closed; one that has sent nothing is
 * closed. Waiting for the first bytes of a later request is the idle timeout's business.</li>
 * <li><b>Body</b>: whole within {@code body-timeout} from the end of its headers. The 408 problem for a body
 * that is late is the application's ({@link BodyLimitFilter}, which reads every body and counts the time from
 * when the request is let in, a moment later): here a connection whose body is late is closed, at once when its
 * request has been answered already (a 401 sent while the body was coming: the rest is read and dropped), and
 * {@link #ANSWER_GRACE} later when not (the application's 408 closes it first).</li>
 * </ul>
 * Everything here runs on the connection's event loop.
 */
final class RequestDeadlines extends ChannelDuplexHandler {

    static final String NAME = "shop.requestDeadlines";

    /** How long the application has to answer a late body's 408 before the connection is closed without it. */
    static final Duration ANSWER_GRACE = Duration.ofSeconds(1);

    private final Settings settings;

    /** The next bytes begin a request: the connection is new, or the last request arrived whole. */
    private boolean awaitingHead = true;

    /** Some of that request has arrived. */
    private boolean headBegun;

    /** The last message of the read in progress ended a request. */
    private boolean readEndedARequest;

    /** Requests whose head has arrived, and answers begun (informational 1xx aside). */
    private long requests;

    private long answers;

    /** Requests whose answer has not been written whole. */
    private int inFlight;

    private boolean answering;

    private ScheduledFuture<?> headDeadline;

    private ScheduledFuture<?> bodyDeadline;

    private ScheduledFuture<?> closeDeadline;

    private RequestDeadlines(Settings settings) {
        this.settings = settings;
    }

    /** The server, with a handler of this kind on every connection, just behind its HTTP codec. */
    static HttpServer installOn(HttpServer server, RequestLimitsProperties limits, GatewayJson json) {
        Settings settings = new Settings(limits.headerTimeout(), limits.bodyTimeout(),
                json.write(Problems.headTimedOut(limits.headerTimeout()).getBody()));
        return server.doOnChannelInit((observer, channel, remoteAddress) -> {
            if (channel.pipeline().get(NettyPipeline.HttpCodec) != null && channel.pipeline().get(NAME) == null) {
                channel.pipeline().addAfter(NettyPipeline.HttpCodec, NAME, new RequestDeadlines(settings));
            }
        });
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            armHeadDeadline(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        armHeadDeadline(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest cut && cut.decoderResult().cause() instanceof PrematureChannelClosureException) {
            // what the codec makes of a head cut off by the connection's close (by the client, or by the deadline
            // below): there is no one to answer, and Reactor Netty would log it, a warning per connection
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest request) {
            headDeadline = cancel(headDeadline);
            awaitingHead = false;
            headBegun = false;
            readEndedARequest = false;
            requests++;
            inFlight++;
            if (msg instanceof LastHttpContent) {
                requestArrived();
            }
            else if (hasBody(request)) {
                bodyDeadline = schedule(ctx, settings.bodyTimeout(), () -> bodyTimedOut(ctx));
            }
        }
        else if (msg instanceof LastHttpContent) {
            requestArrived();
        }
        else if (msg instanceof HttpContent) {
            readEndedARequest = false;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (awaitingHead && !readEndedARequest) {
            // bytes came that the codec holds as the beginning of a request
            headBegun = true;
            if (inFlight == 0) {
                armHeadDeadline(ctx);
            }
        }
        readEndedARequest = false;
        ctx.fireChannelReadComplete();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response && response.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
            answers++;
            answering = true;
        }
        if (msg instanceof LastHttpContent && answering) {
            answering = false;
            inFlight = Math.max(0, inFlight - 1);
            if (inFlight == 0 && awaitingHead && headBegun) {
                // the next request began while this answer was on its way
                armHeadDeadline(ctx);
            }
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelAll();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelAll();
    }

    private void requestArrived() {
        bodyDeadline = cancel(bodyDeadline);
        awaitingHead = true;
        readEndedARequest = true;
    }

    private void armHeadDeadline(ChannelHandlerContext ctx) {
        if (headDeadline == null) {
            headDeadline = schedule(ctx, settings.headerTimeout(), () -> headTimedOut(ctx));
        }
    }

    private void headTimedOut(ChannelHandlerContext ctx) {
        headDeadline = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        if (!headBegun || inFlight > 0) {
            ctx.close();
            return;
        }
        FullHttpResponse timedOut = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_TIMEOUT,
                Unpooled.wrappedBuffer(settings.headTimedOut()));
        timedOut.headers().set(HttpHeaderNames.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, settings.headTimedOut().length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(timedOut).addListener(ChannelFutureListener.CLOSE);
    }

    private void bodyTimedOut(ChannelHandlerContext ctx) {
        bodyDeadline = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        if (inFlight == 1 && answers < requests) {
            closeDeadline = schedule(ctx, ANSWER_GRACE, ctx::close);
        }
        else {
            ctx.close();
        }
    }

    private static boolean hasBody(HttpRequest request) {
        if (HttpUtil.isTransferEncodingChunked(request)) {
            return true;
        }
        String length = request.headers().get(HttpHeaderNames.CONTENT_LENGTH);
        return length != null && !length.equals("0");
    }

    private static ScheduledFuture<?> schedule(ChannelHandlerContext ctx, Duration delay, Runnable task) {
        return ctx.executor().schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static ScheduledFuture<?> cancel(ScheduledFuture<?> deadline) {
        if (deadline != null) {
            deadline.cancel(false);
        }
        return null;
    }

    private void cancelAll() {
        headDeadline = cancel(headDeadline);
        bodyDeadline = cancel(bodyDeadline);
        closeDeadline = cancel(closeDeadline);
    }

    /** What every connection's handler shares: the limits and the 408 body of a late head. */
    private record Settings(Duration headerTimeout, Duration bodyTimeout, byte[] headTimedOut) {
    }
}
