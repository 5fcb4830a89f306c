package com.example.shop.remote;

import java.net.URI;
import java.util.function.Function;

import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.LoadBalancerProperties;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.http.HttpStatus;
import org.springframework.util.StringUtils;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;

import com.example.shop.operations.management.ManagementProperties;

/**
 * The load balancer's readiness checks of the instances a process calls ({@code
 * spring.cloud.loadbalancer.configurations: health-check}): calls go to the instances found ready, each checked
 * on its own schedule ({@link ReadyInstances}), at the path of {@code spring.cloud.loadbalancer.health-check.path}
 * (a service mapped to an empty path is not checked: always ready, as in Spring's own checks), on each instance's
 * management port instead of its public one. An instance's management port is, in this order: {@code
 * spring.cloud.loadbalancer.health-check.port} when set (one port for every instance, Spring's own setting); the
 * instance's {@code management.port} metadata when its discovery gives one; its port + {@code
 * shop.management.port-offset} (1000: {@code http://host:8081} is checked at {@code http://host:9081}), the
 * convention every process of this project follows. A default configuration of every load-balanced client
 * ({@link ManagementAutoConfiguration}).
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
                    LoadBalancerProperties properties = ctx.getBean(LoadBalancerClientFactory.class)
                            .getProperties(discovered.getServiceId());
                    LoadBalancerProperties.HealthCheck healthCheck = properties == null
                            ? new LoadBalancerProperties.HealthCheck() : properties.getHealthCheck();
                    int offset = ctx.getBean(ManagementProperties.class).portOffset();
                    WebClient web = ctx.getBean(WebClient.Builder.class).build();
                    ReadyInstances instances = new ReadyInstances(discovered,
                            isReady(web, offset, healthCheck, discovered.getServiceId()), healthCheck.getInterval(),
                            ctx.getBean(ReadinessCheckProperties.class).notReadyInterval(),
                            ctx.getBeanProvider(MeterRegistry.class).getIfAvailable());
                    stopOnClose(ctx, instances);
                    return instances;
                })
                .build(context);
    }

    /**
     * Ends {@code instances}' checks as the application's context begins to close (its {@link ContextClosedEvent},
     * published before any bean stops), not when the load balancer's own context, a child of it, is closed last.
     */
    static void stopOnClose(ApplicationContext context, ReadyInstances instances) {
        ApplicationContext root = context;
        while (root.getParent() != null) {
            root = root.getParent();
        }
        if (root instanceof ConfigurableApplicationContext closing) {
            closing.addApplicationListener((ApplicationListener<ContextClosedEvent>) event -> {
                if (event.getApplicationContext() == closing) {
                    instances.stopChecks();
                }
            });
        }
    }

    /** One check of an instance: its readiness path on its management port answers 200. */
    private static Function<ServiceInstance, Mono<Boolean>> isReady(WebClient web, int offset,
            LoadBalancerProperties.HealthCheck healthCheck, String serviceId) {
        String path = healthCheck.getPath().containsKey(serviceId) ? healthCheck.getPath().get(serviceId)
                : healthCheck.getPath().getOrDefault("default", "/actuator/health");
        if (!StringUtils.hasText(path)) {
            return instance -> Mono.just(true);
        }
        return instance -> web.get()
                .uri(UriComponentsBuilder.fromUri(managementUri(instance, offset, healthCheck.getPort())).path(path)
                        .build().toUri())
                .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode() == HttpStatus.OK));
    }

    /** The instance's URI on its management port; {@code configuredPort}: Spring's health-check port, when set. */
    static URI managementUri(ServiceInstance instance, int offset, Integer configuredPort) {
        int port;
        if (configuredPort != null) {
            port = configuredPort;
        }
        else {
            String metadata = instance.getMetadata() == null ? null
                    : instance.getMetadata().get(MANAGEMENT_PORT_METADATA);
            port = metadata != null ? Integer.parseInt(metadata) : instance.getPort() + offset;
        }
        return UriComponentsBuilder.fromUri(instance.getUri()).port(port).build().toUri();
    }
}
