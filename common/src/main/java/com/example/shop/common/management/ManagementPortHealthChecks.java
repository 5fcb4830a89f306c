package com.example.shop.common.management;

import java.net.URI;
import java.util.function.BiFunction;

import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.HealthCheckServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;

import com.example.shop.common.remote.ReadyInstances;

/**
 * Spring Cloud LoadBalancer's health checks ({@code spring.cloud.loadbalancer.configurations: health-check},
 * the path from {@code spring.cloud.loadbalancer.health-check.path}), sent to each instance's management
 * port instead of its public one, where Spring's own check would send them. An instance's management port
 * is, in this order: {@code spring.cloud.loadbalancer.health-check.port} when set (one port for every
 * instance, Spring's own setting); the instance's {@code management.port} metadata when its discovery gives
 * one; its port + {@code shop.management.port-offset} (1000: {@code http://host:8081} is checked at
 * {@code http://host:9081}), the convention every process of this project follows. A default configuration
 * of every load-balanced client ({@link ManagementAutoConfiguration}). Calls go to the instances found ready, or
 * to all of them when none is ({@link ReadyInstances}).
 */
@Configuration(proxyBeanMethods = false)
class ManagementPortHealthChecks {

    /** The instance metadata key that names its management port (as Eureka and Consul registrations use it). */
    static final String MANAGEMENT_PORT_METADATA = "management.port";

    @Bean
    @ConditionalOnProperty(name = "spring.cloud.loadbalancer.configurations", havingValue = "health-check")
    ServiceInstanceListSupplier managementPortHealthCheckedInstances(ConfigurableApplicationContext context) {
        return ServiceInstanceListSupplier.builder()
                .withDiscoveryClient()
                .with((ctx, discovered) -> {
                    LoadBalancerClientFactory factory = ctx.getBean(LoadBalancerClientFactory.class);
                    int offset = ctx.getBean(ManagementProperties.class).portOffset();
                    WebClient web = ctx.getBean(WebClient.Builder.class).build();
                    return new ReadyInstances(new HealthCheckServiceInstanceListSupplier(discovered, factory,
                            isReady(web, offset, factory)), discovered,
                            ctx.getBeanProvider(MeterRegistry.class).getIfAvailable());
                })
                .build(context);
    }

    private static BiFunction<ServiceInstance, String, Mono<Boolean>> isReady(WebClient web, int offset,
            LoadBalancerClientFactory factory) {
        return (instance, path) -> web.get()
                .uri(UriComponentsBuilder.fromUri(managementUri(instance, offset,
                        factory.getProperties(instance.getServiceId()).getHealthCheck().getPort() != null))
                        .path(path).build().toUri())
                .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode() == HttpStatus.OK));
    }

    /** The instance's URI on its management port; {@code portGiven}: Spring already put the configured port in. */
    static URI managementUri(ServiceInstance instance, int offset, boolean portGiven) {
        if (portGiven) {
            return instance.getUri();
        }
        String metadata = instance.getMetadata() == null ? null : instance.getMetadata().get(MANAGEMENT_PORT_METADATA);
        int port = metadata != null ? Integer.parseInt(metadata) : instance.getPort() + offset;
        return UriComponentsBuilder.fromUri(instance.getUri()).port(port).build().toUri();
    }
}
