package com.example.shop.user;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sign-up and sign-ins print neither the password, nor its hash, nor the access token, even with the
 * web, codec, security, data and application loggers at TRACE (where request and response bodies are
 * logged).
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsStayOutOfTheLogsTest extends ApiTestSupport {

    static final List<String> LOGGERS = List.of("org.springframework.web", "org.springframework.http",
            "org.springframework.security", "org.springframework.data.mongodb", "com.example.shop");

    /** The test's own requests go through the JDK's client, so that only the service's logging is seen. */
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void neitherThePasswordNorItsHashNorTheTokenIsLogged(CapturedOutput output) throws Exception {
        String password = "Tr0ub4dor&3-" + UUID.randomUUID();
        LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
        LOGGERS.forEach(logger -> logging.setLogLevel(logger, LogLevel.TRACE));
        String token;
        try {
            assertThat(post("/users", Map.of("name", "Quiet", "email", "quiet@example.com", "password", password))
                    .statusCode()).isEqualTo(201);
            HttpResponse<String> signedIn = post("/auth/token", Map.of("email", "quiet@example.com", "password", password));
            assertThat(signedIn.statusCode()).isEqualTo(200);
            token = JsonMapper.builder().build().readTree(signedIn.body()).get("access_token").asString();
            assertThat(post("/auth/token", Map.of("email", "quiet@example.com", "password", password + "-wrong"))
                    .statusCode()).isEqualTo(401);
        }
        finally {
            LOGGERS.forEach(logger -> logging.setLogLevel(logger, null));
        }
        // the request and response bodies were logged, as their records show them
        assertThat(output.getAll()).contains("CreateUser[name=Quiet, email=quiet@example.com, password=<hidden>]")
                .contains("TokenRequest[email=quiet@example.com, password=<hidden>]")
                .contains("TokenResponse[access_token=<hidden>");
        assertThat(output.getAll()).doesNotContain(password).doesNotContain("$argon2id$").doesNotContain(token);
    }

    private HttpResponse<String> post(String path, Map<String, String> body) throws Exception {
        String json = JsonMapper.builder().build().writeValueAsString(body);
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
