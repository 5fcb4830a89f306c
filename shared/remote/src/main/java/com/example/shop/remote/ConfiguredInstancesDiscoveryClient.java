package com.example.shop.remote;

import java.net.URI;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Flux;

import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;

/** Service discovery from configuration: the instances {@code shop.remote.<service>} names. */
public class ConfiguredInstancesDiscoveryClient implements ReactiveDiscoveryClient {

    private final Map<String, List<URI>> instances;

    public ConfiguredInstancesDiscoveryClient(Map<String, List<URI>> instances) {
        this.instances = Map.copyOf(instances);
    }

    @Override
    public String description() {
        return "Instances from shop.remote.*";
    }

    @Override
    public Flux<ServiceInstance> getInstances(String serviceId) {
        List<URI> uris = instances.getOrDefault(serviceId, List.of());
        return Flux.range(0, uris.size()).map(i -> instance(serviceId, i, uris.get(i)));
    }

    @Override
    public Flux<String> getServices() {
        return Flux.fromIterable(instances.keySet());
    }

    private static ServiceInstance instance(String serviceId, int index, URI uri) {
        boolean secure = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() != -1 ? uri.getPort() : secure ? 443 : 80;
        return new DefaultServiceInstance(serviceId + "-" + index, serviceId, uri.getHost(), port, secure);
    }
}
