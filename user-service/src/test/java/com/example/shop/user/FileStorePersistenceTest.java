package com.example.shop.user;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.example.shop.security.test.TestSecurity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default local store keeps its data in a file: what one run wrote, the next run reads; that includes
 * the count of failed sign-ins, so a restart does not lift the throttle.
 */
class FileStorePersistenceTest {

    @TempDir
    Path dataDir;

    @Test
    void usersCartsAndFailedSignInsSurviveARestartOnTheFileStore() {
        String userId;
        String productId = "65f0c0ffee0000000000beef";
        Map<String, String> rightPassword = Map.of("email", "persistent@example.com", "password", "right password");
        try (ConfigurableApplicationContext first = start()) {
            WebTestClient web = client(first);
            userId = web.post().uri("/users").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("name", "Persistent", "email", "persistent@example.com", "password", "right password"))
                    .exchange().expectStatus().isCreated()
                    .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();
            web.delete().uri("/internal/carts/items/{p}", productId)
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestSecurity.serviceToken("product-service"))
                    .exchange().expectStatus().isOk();
            // the limit of failed sign-ins (5 by default) is reached in this run
            for (int i = 0; i < 5; i++) {
                web.post().uri("/auth/token").contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("email", "persistent@example.com", "password", "wrong password " + i))
                        .exchange().expectStatus().isUnauthorized();
            }
        }
        assertThat(dataDir.resolve("user-service.mv")).exists();
        assertThat(dataDir.resolve("user-service.mv").toFile().length()).isPositive();

        try (ConfigurableApplicationContext second = start()) {
            WebTestClient web = client(second);
            web.get().uri("/users/{id}", userId)
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestSecurity.userToken(userId))
                    .exchange()
                    .expectStatus().isOk()
                    .expectBody().jsonPath("$.email").isEqualTo("persistent@example.com");
            // the unique index is back too
            web.post().uri("/users").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("name", "Copy", "email", "persistent@example.com", "password", "another password"))
                    .exchange().expectStatus().isEqualTo(409);
            // and so is the count: the next run still refuses the email, even with the right password
            web.post().uri("/auth/token").contentType(MediaType.APPLICATION_JSON).bodyValue(rightPassword)
                    .exchange()
                    .expectStatus().isEqualTo(429)
                    .expectHeader().exists(HttpHeaders.RETRY_AFTER);
        }
    }

    private ConfigurableApplicationContext start() {
        assertThat(Files.isDirectory(dataDir)).isTrue();
        return new SpringApplicationBuilder(UserServiceApplication.class).run(
                "--server.port=0",
                "--shop.store.embedded.backend=file",
                "--shop.store.embedded.path=" + dataDir,
                "--shop.remote.product-service=http://127.0.0.1:9");
    }

    private static WebTestClient client(ConfigurableApplicationContext context) {
        String port = context.getEnvironment().getProperty("local.server.port");
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(30)).build();
    }
}
