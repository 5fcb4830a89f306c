package com.example.shop.store;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.IndexResolver;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.MongoMappingContext;

/**
 * Creates the indexes declared on the mapped documents ({@code @Indexed}, {@code @CompoundIndex}) and
 * tells when they exist. Writes whose correctness rests on an index (a unique email) chain on
 * {@link #ready()}, so they never run before it; nothing blocks. A failed attempt is not cached: the
 * next caller tries again.
 */
public class EntityIndexes {

    private static final Logger log = LoggerFactory.getLogger(EntityIndexes.class);

    private final Mono<Void> ready;

    public EntityIndexes(ReactiveMongoTemplate template, MongoMappingContext mappingContext) {
        IndexResolver resolver = IndexResolver.create(mappingContext);
        this.ready = Flux.defer(() -> Flux.fromIterable(mappingContext.getPersistentEntities()))
                .filter(entity -> entity.isAnnotationPresent(Document.class))
                .concatMap(entity -> Flux.fromIterable(resolver.resolveIndexFor(entity.getTypeInformation()))
                        .concatMap(index -> template.indexOps(entity.getType()).createIndex(index)
                                .doOnNext(name -> log.info("Index {} on {} is in place", name, entity.getCollection()))))
                .then()
                .cache(v -> Duration.ofMillis(Long.MAX_VALUE), e -> Duration.ZERO, () -> Duration.ofMillis(Long.MAX_VALUE));
    }

    /** Completes once every declared index exists. */
    public Mono<Void> ready() {
        return ready;
    }
}
