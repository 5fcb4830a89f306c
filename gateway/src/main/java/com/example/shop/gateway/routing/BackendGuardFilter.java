package com.example.shop.gateway.routing;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.PrematureCloseException;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.ErrorResponse;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.server.ServerWebExchange;

import com.example.shop.common.remote.BackendGuards;
import com.example.shop.common.remote.ClientSideFailure;
import com.example.shop.gateway.web.BackendFailures;
import com.example.shop.gateway.web.Problems;

/**
 * Guards a proxied request with the backend's bulkhead, route time limit and circuit breaker. Until the
 * backend's status line and headers arrive: a backend that cannot be reached, drops the connection or
 * is refused by the guards gives 503 with {@code Retry-After}, one that does not answer in time 504, both
 * problem+json naming it. Whatever the backend answers (its 4xx and 5xx included) passes through untouched,
 * and counts as a success. A refused connection and "no instance" are not counted at all (common's
 * {@code IgnoredFailures}): a restarted backend gets the next request.
 *
 * <p>The client's side is told apart from the backend's by watching the client's body on its way to the
 * backend: a call that fails after that body broke off (a reset, the gateway refusing it mid-stream), or
 * before all of it was sent (a backend that refuses a body too large for it answers early and closes the
 * connection), is the client's doing: the breaker ignores it, and the answer is the gateway's own
 * refusal of the body, if that is what broke it, or else a 400. Bodies are small, so a backend that is
 * up or down has the whole of one long before any time limit. A client that hangs up while waiting
 * cancels the call, which the breaker does not record either.
 */
final class BackendGuardFilter implements GatewayFilter {

    private final BackendGuards guards;

    BackendGuardFilter(BackendGuards guards) {
        this.guards = guards;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        WatchedBody body = new WatchedBody(exchange.getRequest());
        return guards.route(chain.filter(exchange.mutate().request(body).build()), body::clientSide)
                .onErrorMap(ClientSideFailure.class, this::clientProblem)
                .onErrorMap(error -> BackendFailures.isUnavailable(error) && !exchange.getResponse().isCommitted(),
                        error -> Problems.backendUnavailable(guards.backend(), error, guards.retryAfterSeconds(error)));
    }

    /**
     * The gateway's own refusal of the body as it was (a 413, say); otherwise a 400: the body did not get
     * to the backend whole (a client that hung up never reads it).
     */
    private Throwable clientProblem(ClientSideFailure failure) {
        if (failure.getCause() instanceof ErrorResponse) {
            return failure.getCause();
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "The request body did not reach "
                + guards.backend() + " whole: the connection closed before all of it was sent.");
        problem.setProperty("backend", guards.backend());
        return new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, failure.getCause());
    }

    /** The client's request body, and how far it got on its way to the backend. */
    private static final class WatchedBody extends ServerHttpRequestDecorator {

        private final AtomicBoolean started = new AtomicBoolean();

        private final AtomicBoolean finished = new AtomicBoolean();

        private final AtomicReference<Throwable> broken = new AtomicReference<>();

        WatchedBody(ServerHttpRequest delegate) {
            super(delegate);
        }

        @Override
        public Flux<DataBuffer> getBody() {
            return super.getBody()
                    .doOnSubscribe(subscription -> started.set(true))
                    .doOnComplete(() -> finished.set(true))
                    .doOnError(error -> broken.compareAndSet(null, error));
        }

        /** The client's failure, when {@code error} came after its body broke off or before all of it was sent. */
        Optional<ClientSideFailure> clientSide(Throwable error) {
            Throwable cause = broken.get();
            if (cause != null) {
                return Optional.of(new ClientSideFailure(cause));
            }
            if (started.get() && (!finished.get() || closedWhileSendingBody(error))) {
                return Optional.of(new ClientSideFailure(error));
            }
            return Optional.empty();
        }

        /**
         * Reactor Netty's word for a backend that closed the connection before answering while the body was
         * still on its way (its only sign: the message); the gateway may have handed all of the body over by
         * then.
         */
        private static boolean closedWhileSendingBody(Throwable error) {
            return error instanceof PrematureCloseException && error.getMessage() != null
                    && error.getMessage().contains("while sending request body");
        }
    }
}
