package com.example.shop.common.remote;

import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.ServiceInstanceListSuppliers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where calls go, round after round of readiness checks: to the ready instances, to all of them when none is; and
 * what each change looks like on the gauges and in the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReadyInstancesTest {

    private static final ServiceInstance A = new DefaultServiceInstance("stock-0", "stock-service", "a.example", 8081, false);

    private static final ServiceInstance B = new DefaultServiceInstance("stock-1", "stock-service", "b.example", 8081, false);

    /** The rounds of readiness checks, as Spring Cloud's health-check supplier replays them: the latest to each caller. */
    private final Sinks.Many<List<ServiceInstance>> rounds = Sinks.many().replay().latest();

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private final ReadyInstances instances = new ReadyInstances(checked(rounds.asFlux()),
            ServiceInstanceListSuppliers.from("stock-service", A, B), meters);

    private static ServiceInstanceListSupplier checked(Flux<List<ServiceInstance>> rounds) {
        return new ServiceInstanceListSupplier() {
            @Override
            public String getServiceId() {
                return "stock-service";
            }

            @Override
            public Flux<List<ServiceInstance>> get() {
                return rounds;
            }
        };
    }

    @AfterEach
    void destroy() throws Exception {
        instances.destroy();
    }

    private List<ServiceInstance> callsGoTo() {
        return instances.get().blockFirst();
    }

    private double gauge(String name) {
        return meters.get(name).tag("backend", "stock-service").gauge().value();
    }

    @Test
    void callsGoToTheReadyInstancesOrToAllWhenNoneIsReady(CapturedOutput output) throws Exception {
        instances.afterPropertiesSet();
        assertThat(gauge("shop.backend.instances.ready")).as("before the first round").isEqualTo(-1);

        rounds.tryEmitNext(List.of(A, B));
        assertThat(callsGoTo()).containsExactly(A, B);
        assertThat(gauge("shop.backend.instances.ready")).isEqualTo(2);
        assertThat(gauge("shop.backend.instances.configured")).isEqualTo(2);
        assertThat(output.getOut()).contains("stock-service: all 2 instance(s) ready");

        rounds.tryEmitNext(List.of(A));
        assertThat(callsGoTo()).containsExactly(A);
        assertThat(gauge("shop.backend.instances.ready")).isEqualTo(1);
        assertThat(output.getOut()).contains("stock-service: instance http://b.example:8081 is not ready (1 of 2 ready)");

        rounds.tryEmitNext(List.of());
        assertThat(callsGoTo()).as("none ready: all of them").containsExactly(A, B);
        assertThat(gauge("shop.backend.instances.ready")).isZero();
        assertThat(output.getOut()).contains("stock-service: instance http://a.example:8081 is not ready (0 of 2 ready); "
                + "no instance is ready: calls go to all 2 until one is");

        rounds.tryEmitNext(List.of(B));
        assertThat(callsGoTo()).containsExactly(B);
        assertThat(output.getOut()).contains("stock-service: instance http://b.example:8081 is ready (1 of 2 ready)");
    }

    @Test
    void aFirstRoundWithoutEveryInstanceIsAWarningNamingThem(CapturedOutput output) throws Exception {
        instances.afterPropertiesSet();
        rounds.tryEmitNext(List.of(B));
        assertThat(callsGoTo()).containsExactly(B);
        assertThat(output.getOut()).contains("WARN").contains("stock-service: 1 of 2 instance(s) ready; not ready: [http://a.example:8081]");
    }
}
