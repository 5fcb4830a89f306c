package com.example.shop.gateway.routing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.example.shop.gateway.BackendDocuments;
import com.example.shop.testing.WireMockBackend;

import static com.example.shop.gateway.BackendDocuments.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link SharedLookupsHttpTest}'s first case with {@code shop.populate.share-in-flight-lookups=false}: the same
 * populated page asked by four at once makes four lookups, all at the backend together.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "shop.populate.share-in-flight-lookups=false",
        "shop.populate.cache.ttl=0",
        "shop.populate.budget=15s",
        "shop.backends.route-timeout=20s",
        "resilience4j.timelimiter.instances.user-service.timeout-duration=15s",
        "resilience4j.retry.instances.user-service.max-attempts=1",
        "spring.cloud.loadbalancer.configurations=default"})
class UnsharedLookupsHttpTest {

    static final HeldResponses HELD = new HeldResponses();

    @RegisterExtension
    static final WireMockBackend USERS = WireMockBackend.onFreePort(HELD);

    @RegisterExtension
    static final WireMockBackend PRODUCTS = WireMockBackend.onFreePort();

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        BackendDocuments.backends(registry, USERS, PRODUCTS);
    }

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry registry;

    @AfterEach
    void release() {
        HELD.release();
    }

    @Test
    void theSamePopulatedPageAskedByFourAtOnceMakesFourLookups() {
        SharedLookupsHttpTest.pageOfUserOnesProducts(PRODUCTS, USERS);
        HELD.hold();
        List<CompletableFuture<ResponseEntity<String>>> requests = IntStream.range(0, 4)
                .mapToObj(n -> SharedLookupsHttpTest.page(port, null)).toList();

        await("four lookups at the backend at once").atMost(Duration.ofSeconds(15)).until(() -> HELD.arrived() == 4);
        HELD.release();

        assertThat(requests).allSatisfy(request -> assertThat(SharedLookupsHttpTest.answer(request).getBody())
                .contains("\"userId\":{\"id\":\"" + id('a', 1) + "\",\"name\":\"user 1\"}"));
        assertThat(HELD.arrived()).isEqualTo(4);
        assertThat(registry.find("gateway.populate.shared.lookups").counters()).as("nothing to count").isEmpty();
    }
}
