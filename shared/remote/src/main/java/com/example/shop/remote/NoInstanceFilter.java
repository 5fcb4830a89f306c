package com.example.shop.remote;

import java.util.concurrent.atomic.AtomicBoolean;

import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * Spring Cloud LoadBalancer's exchange filter, with its "no instance" answer made a {@link NoInstanceException}.
 * When it has no instance to offer, its filter does not fail the call: it answers with a 503 response of its
 * own making ("LoadBalancer does not contain an instance for the service ..."), which looks exactly like the
 * service's own 503, so that the circuit breaker would record it and the retry repeat it. The difference is
 * that the request never went on: this filter watches for that.
 */
final class NoInstanceFilter implements ExchangeFilterFunction {

    private final ExchangeFilterFunction loadBalancer;

    NoInstanceFilter(ExchangeFilterFunction loadBalancer) {
        this.loadBalancer = loadBalancer;
    }

    @Override
    public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
        return Mono.defer(() -> {
            AtomicBoolean sent = new AtomicBoolean();
            return loadBalancer.filter(request, placed -> {
                sent.set(true);
                return next.exchange(placed);
            }).flatMap(response -> sent.get() ? Mono.just(response)
                    : response.releaseBody().then(Mono.error(new NoInstanceException(request.url().getHost()))));
        });
    }
}
