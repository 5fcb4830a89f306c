package com.example.shop.gateway.bench;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import com.example.shop.gateway.api.PublicApi;
import com.example.shop.gateway.populate.DocumentFetcher;
import com.example.shop.gateway.populate.ListFetcher;
import com.example.shop.gateway.populate.ResourceFetchers;
import com.example.shop.gateway.remote.BackendClient;
import com.example.shop.gateway.remote.BackendClients;

/**
 * The benchmark's naive gateway (bench/run.sh's scenarios 6 and 8): the gateway built with the {@code bench} profile
 * ({@code ./mvnw -B -Pbench -pl gateway -am package -DskipTests}, its jar in {@code gateway/target/per-id/}) has this
 * auto-configuration, which puts the per-id fetchers in place of the batch lookups: one {@code GET <path>/<id>} per
 * id, a missing one (404) left unresolved, and one list lookup per parent. Everything else is the gateway's own.
 */
@AutoConfiguration
public class PerIdFetchAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PerIdFetchAutoConfiguration.class);

    @Bean
    static BeanPostProcessor perIdFetchers(ObjectProvider<PublicApi> api, ObjectProvider<BackendClients> clients) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (!(bean instanceof ResourceFetchers batched)) {
                    return bean;
                }
                log.warn("Populate fetches one document per call (the benchmark's naive baseline), not in batches");
                return perId(api.getObject(), clients.getObject(), batched);
            }
        };
    }

    static ResourceFetchers perId(PublicApi api, BackendClients clients, ResourceFetchers batched) {
        return new ResourceFetchers() {
            @Override
            public DocumentFetcher documents(String resource) {
                BackendClient backend = clients.get(api.resources().get(resource).backend());
                String path = api.resources().get(resource).path();
                return new PerIdFetcher(id -> backend.read(builder -> builder.path(path).pathSegment(id).build())
                        .onErrorResume(WebClientResponseException.NotFound.class, missing -> Mono.empty()));
            }

            @Override
            public ListFetcher lists(String resource) {
                return PerIdFetcher.perParent(batched.lists(resource));
            }
        };
    }
}
