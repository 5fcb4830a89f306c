package com.example.shop.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.data.mongodb.autoconfigure.DataMongoReactiveAutoConfiguration;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.mongodb.autoconfigure.MongoConnectionDetails;
import org.springframework.boot.mongodb.autoconfigure.health.MongoReactiveHealthContributorAutoConfiguration;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.mapping.MongoMappingContext;

/**
 * What every service needs around its store, on the embedded server and on real MongoDB alike: a
 * description of the store, a health check that sends {@code ping} (Boot's sends {@code hello},
 * which the embedded server does not know), the indexes of the mapped documents, and a start-up
 * line that says which store and which port. (shop-store-embedded, when present, runs before this and gives
 * its own description.)
 */
@AutoConfiguration(after = DataMongoReactiveAutoConfiguration.class,
        before = MongoReactiveHealthContributorAutoConfiguration.class)
@ConditionalOnClass(ReactiveMongoTemplate.class)
@ConditionalOnBean(ReactiveMongoTemplate.class)
public class MongoStoreAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MongoStoreAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    MongoStoreDescription mongoStoreDescription(MongoConnectionDetails details) {
        var cs = details.getConnectionString();
        return new MongoStoreDescription("mongodb", String.join(",", cs.getHosts()), cs.getDatabase(), null);
    }

    /** Named as Boot's contributor, so Boot's {@code hello}-based check backs off. */
    @Bean(name = "mongoHealthContributor")
    @ConditionalOnClass(ReactiveHealthIndicator.class)
    MongoPingHealthIndicator mongoHealthContributor(ReactiveMongoTemplate template, MongoStoreDescription store) {
        return new MongoPingHealthIndicator(template, store);
    }

    @Bean
    EntityIndexes entityIndexes(ReactiveMongoTemplate template, MongoMappingContext mappingContext) {
        return new EntityIndexes(template, mappingContext);
    }

    @Bean
    ApplicationListener<ApplicationReadyEvent> storeStartupReport(MongoStoreDescription store,
            EntityIndexes indexes) {
        return event -> {
            var env = event.getApplicationContext().getEnvironment();
            log.info("{} ready: HTTP port {}, store {}", env.getProperty("spring.application.name"),
                    env.getProperty("local.server.port"), store);
            indexes.ready().subscribe(null, e -> log.warn("Index creation failed; it is retried on the next write", e));
        };
    }
}
