package com.example.shop.e2e;

import java.util.UUID;
import java.util.function.Consumer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** A user who signed up through the gateway, and the access token they got the way a client does. */
record Account(String id, String token) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** {@code POST /api/users} with a fresh email and password, then {@code POST /api/auth/token}. */
    static Account signUp(WebTestClient gateway, String name) {
        String email = name.toLowerCase() + "-" + UUID.randomUUID() + "@example.com";
        String password = "pw-" + UUID.randomUUID();
        JsonNode user = JSON.readTree(gateway.post().uri("/api/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"" + name + "\",\"email\":\"" + email + "\",\"password\":\"" + password + "\"}")
                .exchange().expectStatus().isCreated()
                .expectBody().returnResult().getResponseBody());
        assertThat(user.has("password")).isFalse();
        assertThat(user.has("passwordHash")).isFalse();
        JsonNode token = JSON.readTree(gateway.post().uri("/api/auth/token").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}")
                .exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBody());
        assertThat(token.get("token_type").stringValue()).isEqualTo("Bearer");
        assertThat(token.get("expires_in").asLong()).isPositive();
        return new Account(user.get("id").stringValue(), token.get("access_token").stringValue());
    }

    /** {@code POST /api/products} as this account (its description its title): the new product's id. */
    String createProduct(WebTestClient gateway, String title, int price) {
        byte[] created = gateway.post().uri("/api/products").headers(as(this)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"title\":\"" + title + "\",\"imageUrl\":\"https://example.com/p.png\",\"price\":" + price
                        + ",\"description\":\"" + title + "\"}")
                .exchange().expectStatus().isCreated()
                .expectBody().returnResult().getResponseBody();
        return JSON.readTree(created).get("id").stringValue();
    }

    /** Sets the request's {@code Authorization} to this account's token; for {@code null}, sends none. */
    static Consumer<HttpHeaders> as(Account account) {
        return headers -> {
            if (account != null) {
                headers.setBearerAuth(account.token());
            }
        };
    }
}
