package com.example.shop.remote;

import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.support.WebClientAdapter;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;

/**
 * One remote service as this process calls it: a WebClient built once, addressed by the service's
 * name and load-balanced over its instances (and the {@code @HttpExchange} clients it backs: {@link #client}),
 * and the resilience4j guards every call goes through: the
 * service's own {@link #calls()}, and for a proxy in front of it (the gateway) the {@link #guards()} of its
 * routed requests and lookups, made when first asked for.
 */
public final class RemoteService {

    private final String name;

    private final List<URI> instances;

    private final WebClient webClient;

    private final ResilientCalls calls;

    private final Supplier<BackendGuards> newGuards;

    private final AtomicReference<BackendGuards> guards = new AtomicReference<>();

    RemoteService(String name, List<URI> instances, WebClient webClient, ResilientCalls calls,
            Supplier<BackendGuards> guards) {
        this.name = name;
        this.instances = List.copyOf(instances);
        this.webClient = webClient;
        this.calls = calls;
        this.newGuards = guards;
    }

    public String name() {
        return name;
    }

    /** The configured instances' base URLs ({@code shop.remote.<name>}). */
    public List<URI> instances() {
        return instances;
    }

    /** The address a proxy's routes send to: the service's name, resolved by the load balancer. */
    public URI loadBalancedUri() {
        return URI.create("lb://" + name);
    }

    public WebClient webClient() {
        return webClient;
    }

    public ResilientCalls calls() {
        return calls;
    }

    /** The guards of a proxy's routed requests and lookups ({@code <name>-route}, {@code <name>-populate}). */
    public BackendGuards guards() {
        return guards.updateAndGet(made -> made != null ? made : newGuards.get());
    }

    /**
     * {@code api}, an interface of {@code @HttpExchange} methods saying what this process calls of the service,
     * backed by {@link #webClient()} (so load-balanced and carrying its credentials). Its calls are not guarded by
     * themselves: the client class that makes it (once, in its constructor) wraps each call in {@link #calls()}.
     */
    public <A> A client(Class<A> api) {
        return HttpServiceProxyFactory.builderFor(WebClientAdapter.create(webClient)).build().createClient(api);
    }
}
