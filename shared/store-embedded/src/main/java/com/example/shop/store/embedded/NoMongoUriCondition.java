package com.example.shop.store.embedded;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/** Matches when no MongoDB address is configured ({@code spring.mongodb.uri} or {@code spring.mongodb.host}). */
class NoMongoUriCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        var env = context.getEnvironment();
        for (String key : new String[] {"spring.mongodb.uri", "spring.mongodb.host"}) {
            if (StringUtils.hasText(env.getProperty(key))) {
                return ConditionOutcome.noMatch(key + " is set");
            }
        }
        return ConditionOutcome.match("no MongoDB address configured");
    }
}
