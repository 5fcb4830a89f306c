package com.example.shop.remote;

import java.net.ConnectException;
import java.net.URI;
import java.util.concurrent.TimeoutException;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration;
import io.github.resilience4j.springboot.retry.autoconfigure.RetryAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import com.example.shop.operations.SharedDefaults;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The circuit breakers and retries as shop-defaults/remote.yml configures them, bound by resilience4j's own
 * auto-configuration: a YAML key it does not know would be ignored without a word, and leave its defaults
 * (a breaker that records every exception, 4xx answers and refused connections included).
 */
class RemoteCallDefaultsTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withInitializer(ctx -> {
                // as SpringApplication prepares it: shop-defaults/remote.yml read with Boot's conversions
                ctx.getEnvironment().setConversionService(new ApplicationConversionService());
                new SharedDefaults().postProcessEnvironment(ctx.getEnvironment(), new SpringApplication());
            })
            .withConfiguration(AutoConfigurations.of(CircuitBreakerAutoConfiguration.class, RetryAutoConfiguration.class));

    private static final WebClientResponseException ANSWERED_503 = WebClientResponseException.create(503, "Unavailable",
            null, null, null);

    private static final WebClientResponseException ANSWERED_404 = WebClientResponseException.create(404, "Not Found",
            null, null, null);

    private static final WebClientRequestException REFUSED = new WebClientRequestException(
            new ConnectException("Connection refused"), HttpMethod.GET, URI.create("http://stock-service/x"), new HttpHeaders());

    @Test
    void theBreakerRecordsWhatSaysTheServiceIsSlowOrFailingAndIgnoresWhatSaysNothingAboutIt() {
        context.run(ctx -> {
            CircuitBreakerConfig breaker = ctx.getBean(CircuitBreakerRegistry.class).circuitBreaker("stock-service")
                    .getCircuitBreakerConfig();
            assertThat(breaker.getRecordExceptionPredicate()).as("recorded")
                    .accepts(ANSWERED_503, new TimeoutException())
                    .rejects(ANSWERED_404);
            assertThat(breaker.getIgnoreExceptionPredicate()).as("ignored")
                    .accepts(REFUSED, new NoInstanceException("stock-service"))
                    .rejects(ANSWERED_503, ANSWERED_404, new TimeoutException());
        });
    }

    @Test
    void theRetryRepeatsServiceFailuresAndRefusedConnectionsButNotNoInstance() {
        context.run(ctx -> {
            RetryConfig retry = ctx.getBean(RetryRegistry.class).retry("stock-service").getRetryConfig();
            assertThat(retry.getExceptionPredicate())
                    .accepts(ANSWERED_503, REFUSED, new TimeoutException())
                    .rejects(ANSWERED_404, new NoInstanceException("stock-service"));
        });
    }
}
