package com.example.shop.gateway.security;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.netty.http.client.HttpClient;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.example.shop.gateway.BackendDocuments;
import com.example.shop.testing.WireMockBackend;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sign-up and token requests are limited per client address at the gateway: 3 at once here, then 3 a
 * minute, both endpoints together; the next is a 429 problem+json with {@code Retry-After}, and nothing is
 * routed. A forwarded-for header changes nothing (not trusted by default); another address has its own
 * allowance; other requests are not counted.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.cloud.loadbalancer.configurations=default",
        "shop.gateway.sign-in-limit.capacity=3",
        "shop.gateway.sign-in-limit.period=1m"})
class SignInLimitTest {

    @RegisterExtension
    static final WireMockBackend BACKENDS = WireMockBackend.onFreePort();

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        BackendDocuments.backends(registry, BACKENDS, BACKENDS);
    }

    @BeforeEach
    void everythingRoutedIsAnswered() {
        BACKENDS.stubFor(any(anyUrl()).willReturn(okJson("{}")));
    }

    @LocalServerPort
    int port;

    private WebTestClient from(String address) {
        HttpClient client = HttpClient.create().bindAddress(() -> new InetSocketAddress(address, 0));
        return WebTestClient.bindToServer(new ReactorClientHttpConnector(client)).baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(20)).build();
    }

    private WebTestClient.ResponseSpec post(WebTestClient client, String path) {
        // as written: "%75" stays an escaped "u"
        return client.post().uri(URI.create("http://localhost:" + port + path)).contentType(MediaType.APPLICATION_JSON)
                .header("X-Forwarded-For", "203.0.113.7").bodyValue("{}").exchange();
    }

    private static int routed() {
        return BACKENDS.findAll(anyRequestedFor(anyUrl())).size();
    }

    @Test
    void anIpv6ClientIsCountedByItsSixtyFourBitNetwork() throws Exception {
        String one = SignInLimitFilter.clientKey(InetAddress.getByName("2001:db8:1:2:aaaa::1"));
        assertThat(SignInLimitFilter.clientKey(InetAddress.getByName("2001:db8:1:2:ffff:1:2:3"))).isEqualTo(one);
        assertThat(SignInLimitFilter.clientKey(InetAddress.getByName("2001:db8:1:3::1"))).isNotEqualTo(one);
        assertThat(SignInLimitFilter.clientKey(InetAddress.getByName("192.0.2.1"))).isEqualTo("192.0.2.1");
        assertThat(SignInLimitFilter.clientKey(InetAddress.getByName("192.0.2.2"))).isEqualTo("192.0.2.2");
    }

    @Test
    void anAddressGetsItsAllowanceOfSignUpsAndTokensThenA429WithRetryAfter() {
        WebTestClient one = from("127.0.0.1");
        post(one, "/api/users").expectStatus().isOk();
        post(one, "/api/auth/token").expectStatus().isOk();
        post(one, "/api/users").expectStatus().isOk();
        assertThat(routed()).isEqualTo(3);

        for (String path : new String[] {"/api/users", "/api/auth/token", "/api/users/", "/api/%75sers"}) {
            post(one, path).expectStatus().isEqualTo(429)
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectHeader().value(HttpHeaders.RETRY_AFTER,
                            seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 20L))
                    .expectBody().jsonPath("$.status").isEqualTo(429)
                    .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("try again in"));
        }
        assertThat(routed()).as("nothing more routed").isEqualTo(3);

        one.get().uri("/api/products").exchange().expectStatus().isOk();
        post(from("127.0.0.2"), "/api/users").expectStatus().isOk();
        assertThat(routed()).isEqualTo(5);
    }
}
