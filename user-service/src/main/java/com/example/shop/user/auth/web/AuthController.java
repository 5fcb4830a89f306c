package com.example.shop.user.auth.web;

import java.time.Duration;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import com.fasterxml.jackson.annotation.JsonProperty;
import reactor.core.publisher.Mono;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import com.example.shop.web.text.Emails;
import com.example.shop.web.text.PlainText;
import com.example.shop.user.auth.domain.AccessTokens;
import com.example.shop.user.auth.domain.AuthService;

/**
 * Sign-in and the key that verifies its tokens, both open to all. Refusals are rendered by
 * {@link AuthProblems}: 401 for a wrong email or password (the same for both), 429 with
 * {@code Retry-After} when the email has had too many attempts.
 */
@RestController
public class AuthController {

    /**
     * Email and password; the email in its canonical form as at sign-up ({@link Emails#canonical}), the
     * password taken as given (sign-up takes none longer than 128 characters).
     */
    public record TokenRequest(@NotBlank @Size(max = 254) @PlainText String email,
            @NotNull @Size(max = 128) String password) {

        public TokenRequest {
            email = Emails.canonical(email);
        }

        /** Without the password: request bodies may be logged at debug level. */
        @Override
        public String toString() {
            return "TokenRequest[email=" + email + ", password=<hidden>]";
        }
    }

    /** An OAuth 2-style token response (RFC 6749 5.1): {@code expires_in} in seconds. */
    public record TokenResponse(
            @JsonProperty("access_token") String accessToken,
            @JsonProperty("token_type") String tokenType,
            @JsonProperty("expires_in") long expiresIn) {

        @Override
        public String toString() {
            return "TokenResponse[access_token=<hidden>, token_type=" + tokenType + ", expires_in=" + expiresIn + "]";
        }
    }

    private final AuthService auth;

    private final AccessTokens tokens;

    public AuthController(AuthService auth, AccessTokens tokens) {
        this.auth = auth;
        this.tokens = tokens;
    }

    @PostMapping("/auth/token")
    public Mono<ResponseEntity<TokenResponse>> token(@Valid @RequestBody TokenRequest request) {
        return auth.signIn(request.email(), request.password())
                .map(token -> ResponseEntity.ok()
                        .cacheControl(CacheControl.noStore())
                        .body(new TokenResponse(token.value(), "Bearer", token.ttl().toSeconds())));
    }

    /** The public key of the token signatures as a JWK set, for anyone who checks the tokens. */
    @GetMapping({"/auth/jwks", "/.well-known/jwks.json"})
    public ResponseEntity<Map<String, Object>> jwks() {
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_JSON)
                .cacheControl(CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic())
                .body(tokens.publicJwks());
    }
}
