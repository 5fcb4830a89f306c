package com.example.shop.common.remote;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.DelegatingServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

/**
 * The instances of a backend its calls go to: those the load balancer's health checks found ready in their last
 * round ({@code readyChecked}, Spring Cloud's {@code HealthCheckServiceInstanceListSupplier}), or, when none
 * was, every instance discovery knows ({@code discovered}): Envoy's "panic" mode. A round takes up to the
 * health-check interval (5 s) to notice that an instance is back; without this, every call until then is
 * refused by the balancer itself ("no instance"), although the backend answers. With it, a call to a backend
 * whose instances are all down meets a refused connection, as fast as the balancer's refusal and not counted
 * by the circuit breaker ({@link IgnoredFailures}), and the first call after one is back reaches it. While
 * some instances are ready, only they get calls.
 *
 * <p>Each round is visible: the gauges {@code shop.backend.instances.ready} and {@code
 * shop.backend.instances.configured} (tag {@code backend}), and a log line when an instance stops or starts
 * being ready (a warning when none is left).
 */
public class ReadyInstances extends DelegatingServiceInstanceListSupplier {

    private static final Logger log = LoggerFactory.getLogger(ReadyInstances.class);

    private final ServiceInstanceListSupplier discovered;

    private final MeterRegistry meters;

    /** Instances ready in the last round; -1 before the first. */
    private final AtomicInteger ready = new AtomicInteger(-1);

    private final AtomicInteger configured = new AtomicInteger(-1);

    private volatile Set<URI> readyBefore;

    private Disposable rounds;

    private List<Gauge> gauges = List.of();

    /**
     * @param readyChecked the instances found ready in each round of health checks
     * @param discovered   every instance of the backend (the supplier {@code readyChecked} checks)
     * @param meters       where the gauges go; none when null
     */
    public ReadyInstances(ServiceInstanceListSupplier readyChecked, ServiceInstanceListSupplier discovered,
            MeterRegistry meters) {
        super(readyChecked);
        this.discovered = discovered;
        this.meters = meters;
    }

    @Override
    public Flux<List<ServiceInstance>> get() {
        return delegate.get().concatMap(readyNow -> readyNow.isEmpty() ? discovered.get().take(1) : Flux.just(readyNow));
    }

    @Override
    public void afterPropertiesSet() throws Exception {
        super.afterPropertiesSet();
        if (meters != null) {
            gauges = List.of(
                    Gauge.builder("shop.backend.instances.ready", ready, AtomicInteger::get).tag("backend", getServiceId())
                            .description("Instances of the backend whose readiness check passed in the load balancer's "
                                    + "last round (-1 before the first)")
                            .register(meters),
                    Gauge.builder("shop.backend.instances.configured", configured, AtomicInteger::get)
                            .tag("backend", getServiceId())
                            .description("Instances of the backend that discovery knows").register(meters));
        }
        rounds = delegate.get().concatMap(readyNow -> discovered.get().take(1).map(all -> new Round(all, readyNow)))
                .subscribe(this::report, error -> log.warn("{}: the health checks' rounds ended", getServiceId(), error));
    }

    @Override
    public void destroy() throws Exception {
        if (rounds != null) {
            rounds.dispose();
        }
        gauges.forEach(meters::remove);
        super.destroy();
    }

    /** Gauges and log lines for a round of health checks: what changed since the last. */
    void report(Round round) {
        Set<URI> all = uris(round.all());
        Set<URI> readyNow = uris(round.ready());
        ready.set(readyNow.size());
        configured.set(all.size());
        Set<URI> before = readyBefore;
        readyBefore = readyNow;
        String service = getServiceId();
        if (before == null) {
            if (readyNow.size() < all.size()) {
                Set<URI> notReady = new LinkedHashSet<>(all);
                notReady.removeAll(readyNow);
                log.warn("{}: {} of {} instance(s) ready; not ready: {}{}", service, readyNow.size(), all.size(),
                        notReady, readyNow.isEmpty() ? panic(all) : "");
            }
            else {
                log.info("{}: all {} instance(s) ready", service, all.size());
            }
            return;
        }
        for (URI instance : all) {
            if (before.contains(instance) && !readyNow.contains(instance)) {
                log.warn("{}: instance {} is not ready ({} of {} ready){}", service, instance, readyNow.size(),
                        all.size(), readyNow.isEmpty() ? panic(all) : "");
            }
            else if (!before.contains(instance) && readyNow.contains(instance)) {
                log.info("{}: instance {} is ready ({} of {} ready)", service, instance, readyNow.size(), all.size());
            }
        }
    }

    private static String panic(Set<URI> all) {
        return "; no instance is ready: calls go to all " + all.size() + " until one is";
    }

    private static Set<URI> uris(List<ServiceInstance> instances) {
        Set<URI> uris = new LinkedHashSet<>();
        instances.forEach(instance -> uris.add(instance.getUri()));
        return uris;
    }

    /** One round of health checks: every instance, and those found ready. */
    record Round(List<ServiceInstance> all, List<ServiceInstance> ready) {
    }
}
