package com.example.shop.gateway.web;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The memory of all answers in flight, shared by populate and conditional GETs. */
@Configuration(proxyBeanMethods = false)
public class AnswerMemoryConfiguration {

    @Bean
    AnswerMemory answerMemory(AnswerMemoryProperties properties, MeterRegistry registry) {
        return AnswerMemory.of(properties, registry);
    }
}
