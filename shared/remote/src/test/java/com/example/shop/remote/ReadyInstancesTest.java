package com.example.shop.remote;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.support.ServiceInstanceListSuppliers;
import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where calls go as instances stop and start being ready, on virtual time: to the ready ones only; an instance
 * that is not ready is checked again every 500 ms, a ready one every 5 s; and what each change looks like on the
 * gauges and in the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReadyInstancesTest {

    private static final Duration READY_INTERVAL = Duration.ofSeconds(5);

    private static final Duration NOT_READY_INTERVAL = Duration.ofMillis(500);

    private static final ServiceInstance A = new DefaultServiceInstance("stock-0", "stock-service", "a.example", 8081, false);

    private static final ServiceInstance B = new DefaultServiceInstance("stock-1", "stock-service", "b.example", 8081, false);

    private final VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();

    /** What each instance's readiness check answers now: true, false, or null for no answer at all. */
    private final Map<ServiceInstance, Boolean> answers = new ConcurrentHashMap<>(Map.of(A, true, B, true));

    private final Map<ServiceInstance, AtomicInteger> checks = Map.of(A, new AtomicInteger(), B, new AtomicInteger());

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private final ReadyInstances instances = new ReadyInstances(ServiceInstanceListSuppliers.from("stock-service", A, B),
            instance -> Mono.defer(() -> {
                checks.get(instance).incrementAndGet();
                Boolean answer = answers.get(instance);
                return answer == null ? Mono.never() : Mono.just(answer);
            }), READY_INTERVAL, NOT_READY_INTERVAL, meters);

    @AfterEach
    void stop() {
        instances.destroy();
        VirtualTimeScheduler.reset();
    }

    private List<ServiceInstance> callsGoTo() {
        return instances.get().blockFirst(Duration.ofSeconds(5));
    }

    private double gauge(String name) {
        return meters.get(name).tag("backend", "stock-service").gauge().value();
    }

    @Test
    void theChecksEndAsTheApplicationBeginsToCloseNotWhenTheLoadBalancersContextDoes() {
        answers.put(B, false);
        instances.afterPropertiesSet();
        try (GenericApplicationContext application = new GenericApplicationContext();
                GenericApplicationContext loadBalancer = new GenericApplicationContext()) {
            application.refresh();
            loadBalancer.setParent(application);
            loadBalancer.refresh();
            ManagementPortHealthChecks.stopOnClose(loadBalancer, instances);
            time.advanceTimeBy(NOT_READY_INTERVAL.multipliedBy(4));
            int checksOfB = checks.get(B).get();
            assertThat(checksOfB).as("B, not ready, checked every 500 ms").isGreaterThanOrEqualTo(4);

            application.close();
            time.advanceTimeBy(NOT_READY_INTERVAL.multipliedBy(10));

            assertThat(loadBalancer.isActive()).as("the load balancer's context is still open").isTrue();
            assertThat(checks.get(B)).as("no check once the application closes").hasValue(checksOfB);
        }
    }

    @Test
    void callsGoToTheReadyInstancesOnlyAndTheGaugesAndLogSayWhichAreReady(CapturedOutput output) {
        answers.put(B, false);
        instances.afterPropertiesSet();

        assertThat(callsGoTo()).containsExactly(A);
        assertThat(gauge("shop.backend.instances.ready")).isEqualTo(1);
        assertThat(gauge("shop.backend.instances.configured")).isEqualTo(2);
        assertThat(output.getOut()).contains("WARN")
                .contains("stock-service: 1 of 2 instance(s) ready; not ready: [http://b.example:8081]");

        answers.put(A, false);
        time.advanceTimeBy(READY_INTERVAL);
        assertThat(callsGoTo()).as("none ready: no instance").isEmpty();
        assertThat(gauge("shop.backend.instances.ready")).isZero();
        assertThat(output.getOut()).contains("stock-service: instance http://a.example:8081 is not ready (0 of 2 ready); "
                + "no instance is ready: calls are refused (503) until one is");
    }

    @Test
    void anInstanceThatIsNotReadyIsCheckedAgainEveryNotReadyIntervalAndGetsCallsOnceItIs(CapturedOutput output) {
        answers.put(B, false);
        instances.afterPropertiesSet();
        assertThat(callsGoTo()).containsExactly(A);

        answers.put(B, true);
        time.advanceTimeBy(NOT_READY_INTERVAL);
        assertThat(callsGoTo()).containsExactly(A, B);
        assertThat(output.getOut()).contains("stock-service: instance http://b.example:8081 is ready (2 of 2 ready)");
        assertThat(checks.get(B)).hasValue(2);
        assertThat(checks.get(A)).as("a ready instance waits its own interval").hasValue(1);
    }

    @Test
    void aReadyInstanceIsCheckedEveryReadyInterval() {
        instances.afterPropertiesSet();
        assertThat(callsGoTo()).containsExactly(A, B);

        answers.put(A, false);
        time.advanceTimeBy(READY_INTERVAL.minus(NOT_READY_INTERVAL));
        assertThat(callsGoTo()).containsExactly(A, B);
        time.advanceTimeBy(NOT_READY_INTERVAL);
        assertThat(callsGoTo()).containsExactly(B);
    }

    @Test
    void aCheckThatGetsNoAnswerWithinTheReadyIntervalIsNotReady() {
        answers.remove(B);
        instances.afterPropertiesSet();

        time.advanceTimeBy(READY_INTERVAL);
        assertThat(callsGoTo()).containsExactly(A);
    }
}
