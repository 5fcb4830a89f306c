package com.example.shop.remote;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.springboot.bulkhead.autoconfigure.BulkheadAutoConfiguration;
import io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration;
import io.github.resilience4j.springboot.retry.autoconfigure.RetryAutoConfiguration;
import io.github.resilience4j.springboot.timelimiter.autoconfigure.TimeLimiterAutoConfiguration;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.client.loadbalancer.reactive.LoadBalancedExchangeFilterFunction;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.client.WebClient;

import com.example.shop.security.ServiceCredentials;

/**
 * Remote services from {@code shop.remote.*}: discovery from configuration, load balancing, resilience4j,
 * and this process's service credential on every call (unless the client sets up its own credentials, as
 * the gateway does). Each service's instances are checked for readiness on their management ports
 * ({@link ManagementPortHealthChecks}).
 */
@AutoConfiguration(after = {CircuitBreakerAutoConfiguration.class, TimeLimiterAutoConfiguration.class,
        RetryAutoConfiguration.class, BulkheadAutoConfiguration.class},
        afterName = "org.springframework.cloud.client.loadbalancer.reactive.LoadBalancerBeanPostProcessorAutoConfiguration")
@EnableConfigurationProperties({RemoteServicesProperties.class, ReadinessCheckProperties.class})
@LoadBalancerClients(defaultConfiguration = ManagementPortHealthChecks.class)
public class RemoteCallsAutoConfiguration {

    @Bean
    ConfiguredInstancesDiscoveryClient configuredInstancesDiscoveryClient(RemoteServicesProperties properties) {
        return new ConfiguredInstancesDiscoveryClient(properties.remote());
    }

    /**
     * The load balancer of every configured service, made in the background once the process has started rather
     * than at its first call (nor holding up readiness, as Spring's eager-load would): its readiness checks start
     * then, and with them the gauges and log lines of {@link ReadyInstances}.
     */
    @Bean
    ApplicationListener<ApplicationReadyEvent> remoteServicesLoadBalancers(LoadBalancerClientFactory factory,
            RemoteServicesProperties properties) {
        return event -> Schedulers.boundedElastic()
                .schedule(() -> properties.remote().keySet().forEach(factory::getInstance));
    }

    @Bean
    RemoteServices remoteServices(RemoteServicesProperties properties, WebClient.Builder builder,
            LoadBalancedExchangeFilterFunction loadBalancer, CircuitBreakerRegistry circuitBreakers,
            TimeLimiterRegistry timeLimiters, RetryRegistry retries, BulkheadRegistry bulkheads,
            ServiceCredentials credentials) {
        return new RemoteServices(properties, builder, credentials.filter(), loadBalancer, circuitBreakers,
                timeLimiters, retries, bulkheads);
    }
}
