package com.example.shop.user;

import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What user-service's circuit breaker on product-service counts, with the configured kind of window
 * (shop-defaults/remote.yml) shortened to a few seconds: one outcome per cart add however many attempts it
 * took, and nothing from an outage that is over.
 */
@TestPropertySource(properties = {
        "resilience4j.circuitbreaker.instances.product-service.sliding-window-size=5",
        "resilience4j.circuitbreaker.instances.product-service.minimum-number-of-calls=4"})
class ProductServiceOutageTest extends ApiTestSupport {

    @Test
    void failedAddsOfAnOutageThatIsOverDoNotOpenTheBreakerOnTheFirstSuccessfulAdd() {
        String user = createUser("Outage", "outage@example.com");
        String product = new ObjectId().toHexString();
        CircuitBreaker breaker = circuitBreakers.circuitBreaker("product-service");

        productService.stubFor(get(urlPathEqualTo("/products/" + product)).willReturn(aResponse().withStatus(503)));
        for (int i = 0; i < 3; i++) {
            addItem(user, product).expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        }
        // each add was tried three times (WireMock may journal the last attempt just after it answered), and counts once
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(productService.getAllServeEvents()).hasSize(9));
        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isEqualTo(3);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);

        productService.stubFor(get(urlPathEqualTo("/products/" + product))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{}")));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> breaker.getMetrics().getNumberOfBufferedCalls() == 0);

        // 3 failures and this success would be 75 % of the 4 calls the breaker needs: it would open
        addItem(user, product).expectStatus().isOk();
        addItem(user, product).expectStatus().isOk()
                .expectBody().jsonPath("$.items[0].quantity").isEqualTo(2);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    private WebTestClient.ResponseSpec addItem(String user, String product) {
        return as(user).post().uri("/users/{id}/cart/items", user).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"productId\":\"" + product + "\",\"quantity\":1}").exchange();
    }
}
