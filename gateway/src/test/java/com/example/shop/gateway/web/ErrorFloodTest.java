package com.example.shop.gateway.web;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.server.WebFilter;

import com.example.shop.operations.logging.RepeatedErrorsFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A flood of one failing request does not flood the log: the gateway logs the error's stack trace once, and at
 * the end of the interval one line with how many more there were. The log is JSON here (ECS), as Compose runs
 * it. The failure is a test-only filter that throws on {@code /api/failing}: a bug of the gateway's, a 500.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "logging.structured.format.console=ecs",
        // the interval's report is called by the test
        "shop.logging.repeated-errors.interval=1h",
        "spring.cloud.loadbalancer.configurations=default"})
@Import(ErrorFloodTest.Failing.class)
@ExtendWith(OutputCaptureExtension.class)
class ErrorFloodTest {

    static final String BUG = "the same bug every time";

    @TestConfiguration(proxyBeanMethods = false)
    static class Failing {

        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        WebFilter failingFilter() {
            return (exchange, chain) -> exchange.getRequest().getPath().value().equals("/api/failing")
                    ? Mono.error(new IllegalStateException(BUG)) : chain.filter(exchange);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    RepeatedErrorsFilter repeatedErrors;

    @Test
    void aFloodOfOneFailingRequestLogsOneStackTrace(CapturedOutput output) {
        WebTestClient client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(20)).build();
        int requests = 50;

        for (int i = 0; i < requests; i++) {
            client.get().uri("/api/failing?attempt=" + i).exchange().expectStatus().isEqualTo(500);
        }

        assertThat(occurrences(output.getOut(), "java.lang.IllegalStateException: " + BUG)).as("stack traces logged").isOne();

        repeatedErrors.report();

        assertThat(output.getOut()).contains((requests - 1) + " more like this in the last 3600 s, not logged")
                .contains("GET /api/failing failed");
    }

    private static int occurrences(String text, String part) {
        Matcher matcher = Pattern.compile(Pattern.quote(part)).matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }
}
