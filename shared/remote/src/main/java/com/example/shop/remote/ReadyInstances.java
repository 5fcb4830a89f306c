package com.example.shop.remote;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

/**
 * The instances of a backend that calls go to: those whose readiness check passed, each checked on a schedule
 * of its own. A ready instance is checked every {@code readyInterval} (Spring Cloud LoadBalancer's {@code
 * health-check.interval}, 5 s), one that is not every {@code notReadyInterval} ({@link ReadinessCheckProperties},
 * 500 ms), so that a restarted instance gets calls within that of saying it is ready. Each check may take up to
 * {@code readyInterval}; one that fails, times out or answers anything but ready counts as not ready.
 *
 * <p>Spring Cloud's {@code HealthCheckServiceInstanceListSupplier} checks every instance in rounds of one fixed
 * interval, which is also each check's time limit: calls went nowhere ("no instance") for up to 5 s after a
 * backend was back, and a shorter interval would cut the time a check may take on a busy machine. Sending calls
 * to every instance when none is ready (Envoy's "panic" mode) would reach a restarted instance before it is
 * ready, while it is still slow to answer: time-outs that open the circuit breaker just as the backend
 * recovers. So calls go to ready instances only; with none, the call is refused at once ({@link
 * NoInstanceException}, the gateway's {@code NotFoundException}: a 503 the circuit breaker ignores).
 *
 * <p>Calls wait for the first check of every instance, as Spring's rounds did. The list discovery gives is
 * followed: a new list starts the checks of its instances. Each change is visible: the gauges {@code
 * shop.backend.instances.ready} and {@code shop.backend.instances.configured} (tag {@code backend}), and a log
 * line when an instance becomes ready or stops being ready (a warning, which says so when none is left).
 */
public class ReadyInstances implements ServiceInstanceListSupplier, InitializingBean, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ReadyInstances.class);

    private final ServiceInstanceListSupplier discovered;

    private final Function<ServiceInstance, Mono<Boolean>> isReady;

    private final Duration readyInterval;

    private final Duration notReadyInterval;

    private final MeterRegistry meters;

    private final Sinks.Many<List<ServiceInstance>> ready = Sinks.many().replay().latest();

    /** Instances ready after the last change; -1 before the first checks. */
    private final AtomicInteger readyCount = new AtomicInteger(-1);

    private final AtomicInteger configuredCount = new AtomicInteger(-1);

    private Set<URI> readyBefore;

    private Disposable checks;

    private List<Gauge> gauges = List.of();

    /**
     * @param discovered       every instance of the backend
     * @param isReady          one readiness check of an instance: true when it is ready
     * @param readyInterval    between two checks of a ready instance, and the longest a check may take
     * @param notReadyInterval between two checks of an instance that is not ready
     * @param meters           where the gauges go; none when null
     */
    public ReadyInstances(ServiceInstanceListSupplier discovered, Function<ServiceInstance, Mono<Boolean>> isReady,
            Duration readyInterval, Duration notReadyInterval, MeterRegistry meters) {
        this.discovered = discovered;
        this.isReady = isReady;
        this.readyInterval = readyInterval;
        this.notReadyInterval = notReadyInterval;
        this.meters = meters;
    }

    @Override
    public String getServiceId() {
        return discovered.getServiceId();
    }

    @Override
    public Flux<List<ServiceInstance>> get() {
        return ready.asFlux();
    }

    @Override
    public void afterPropertiesSet() {
        if (meters != null) {
            gauges = List.of(
                    Gauge.builder("shop.backend.instances.ready", readyCount, AtomicInteger::get)
                            .tag("backend", getServiceId())
                            .description("Instances of the backend whose last readiness check passed "
                                    + "(-1 before the first)")
                            .register(meters),
                    Gauge.builder("shop.backend.instances.configured", configuredCount, AtomicInteger::get)
                            .tag("backend", getServiceId())
                            .description("Instances of the backend that discovery knows")
                            .register(meters));
        }
        checks = Flux.defer(discovered::get).switchMap(this::readyOf)
                .subscribe(ready::tryEmitNext, error -> log.warn("{}: readiness checks ended", getServiceId(), error));
    }

    @Override
    public void destroy() {
        stopChecks();
        gauges.forEach(meters::remove);
    }

    /**
     * Ends the readiness checks, as the application begins to close ({@link ManagementPortHealthChecks}): its
     * HTTP clients' event loops stop after its beans' lifecycles, before this (a bean of the load balancer's
     * context, closed last), and checks every 500 ms of a backend that is down kept them from ever being idle.
     */
    void stopChecks() {
        if (checks != null) {
            checks.dispose();
        }
    }

    /** The ready ones among {@code instances}, each time that changes, from when each has been checked once. */
    private Flux<List<ServiceInstance>> readyOf(List<ServiceInstance> instances) {
        if (instances.isEmpty()) {
            readyCount.set(0);
            configuredCount.set(0);
            log.warn("{}: discovery knows no instance of it", getServiceId());
            return Flux.just(List.of());
        }
        Boolean[] states = new Boolean[instances.size()];
        AtomicInteger unchecked = new AtomicInteger(instances.size());
        return Flux.range(0, instances.size())
                .flatMap(i -> checksOf(instances.get(i)).map(state -> Map.entry(i, state)), instances.size())
                .concatMap(checked -> {
                    Boolean before = states[checked.getKey()];
                    states[checked.getKey()] = checked.getValue();
                    boolean first = before == null && unchecked.decrementAndGet() == 0;
                    if (unchecked.get() > 0 || (!first && checked.getValue().equals(before))) {
                        return Mono.empty();
                    }
                    List<ServiceInstance> readyNow = new ArrayList<>();
                    for (int i = 0; i < states.length; i++) {
                        if (states[i]) {
                            readyNow.add(instances.get(i));
                        }
                    }
                    report(instances, readyNow);
                    return Mono.just(List.copyOf(readyNow));
                });
    }

    /** Whether {@code instance} is ready, check after check, for as long as it is subscribed to. */
    private Flux<Boolean> checksOf(ServiceInstance instance) {
        AtomicBoolean last = new AtomicBoolean();
        return Mono.defer(() -> isReady.apply(instance))
                .timeout(readyInterval)
                .onErrorReturn(false)
                .defaultIfEmpty(false)
                .doOnNext(last::set)
                .repeatWhen(checked -> checked.concatMap(
                        ignored -> Mono.delay(last.get() ? readyInterval : notReadyInterval)));
    }

    /** Gauges and log lines for a change: which instances became ready or stopped being ready. */
    private void report(List<ServiceInstance> instances, List<ServiceInstance> readyInstances) {
        Set<URI> all = uris(instances);
        Set<URI> readyNow = uris(readyInstances);
        readyCount.set(readyNow.size());
        configuredCount.set(all.size());
        Set<URI> before = readyBefore;
        readyBefore = readyNow;
        String service = getServiceId();
        String none = readyNow.isEmpty() ? "; no instance is ready: calls are refused (503) until one is" : "";
        if (before == null) {
            Set<URI> notReady = new LinkedHashSet<>(all);
            notReady.removeAll(readyNow);
            if (notReady.isEmpty()) {
                log.info("{}: all {} instance(s) ready", service, all.size());
            }
            else {
                log.warn("{}: {} of {} instance(s) ready; not ready: {}{}", service, readyNow.size(), all.size(),
                        notReady, none);
            }
            return;
        }
        for (URI instance : all) {
            if (before.contains(instance) && !readyNow.contains(instance)) {
                log.warn("{}: instance {} is not ready ({} of {} ready){}", service, instance, readyNow.size(),
                        all.size(), none);
            }
            else if (!before.contains(instance) && readyNow.contains(instance)) {
                log.info("{}: instance {} is ready ({} of {} ready)", service, instance, readyNow.size(), all.size());
            }
        }
    }

    private static Set<URI> uris(List<ServiceInstance> instances) {
        Set<URI> uris = new LinkedHashSet<>();
        instances.forEach(instance -> uris.add(instance.getUri()));
        return uris;
    }
}
