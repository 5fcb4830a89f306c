package com.example.shop.common.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import com.example.shop.common.security.test.TestSecurity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeysAndCredentialsTest {

    @Test
    void keysReadFromBase64OrPemAndThePublicHalfComesFromThePrivateKey() {
        var fromBase64 = Keys.rsaPublicKey(TestSecurity.publicKey(), "k");
        String pem = "-----BEGIN PUBLIC KEY-----\n" + TestSecurity.publicKey().replaceAll("(.{64})", "$1\n")
                + "\n-----END PUBLIC KEY-----\n";
        assertThat(Keys.rsaPublicKey(pem, "k")).isEqualTo(fromBase64);
        assertThat(Keys.publicKeyOf(Keys.rsaPrivateKey(TestSecurity.privateKey(), "k"), "k")).isEqualTo(fromBase64);
    }

    @Test
    void aMissingOrUnreadableKeyStopsTheStartWithTheSettingNamed() {
        assertThatThrownBy(() -> Keys.rsaPublicKey("", "shop.security.jwt.public-key (JWT_PUBLIC_KEY)"))
                .hasMessageContaining("JWT_PUBLIC_KEY").hasMessageContaining("not set");
        assertThatThrownBy(() -> Keys.rsaPublicKey("bm90IGEga2V5", "JWT_PUBLIC_KEY"))
                .hasMessageContaining("JWT_PUBLIC_KEY is not an RSA public key");
        assertThatThrownBy(() -> Keys.hmacKey(Base64.getEncoder().encodeToString(new byte[16]), "SERVICE_SECRET"))
                .hasMessageContaining("at least 32 bytes");
    }

    @Test
    void aServiceTokenIsSignedWithTheSecretAndRenewedAtHalfLife() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        var secret = Keys.hmacKey(TestSecurity.serviceSecret(), "s");
        ServiceCredentials credentials = new ServiceCredentials("product-service", secret, Duration.ofMinutes(10), clock);

        String first = credentials.token();
        now.set(now.get().plus(Duration.ofMinutes(4)));
        assertThat(credentials.token()).as("still young: the same token").isEqualTo(first);
        now.set(now.get().plus(Duration.ofMinutes(2)));
        String renewed = credentials.token();
        assertThat(renewed).as("past half-life: a new token").isNotEqualTo(first);

        NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(secret).macAlgorithm(MacAlgorithm.HS256).build();
        decoder.setJwtValidator(token -> org.springframework.security.oauth2.core.OAuth2TokenValidatorResult.success());
        Jwt jwt = decoder.decode(renewed);
        assertThat(jwt.getSubject()).isEqualTo("product-service");
        assertThat(jwt.getClaimAsString("iss")).isEqualTo(ServiceCredentials.ISSUER);
        assertThat(jwt.getAudience()).containsExactly(ServiceCredentials.AUDIENCE);
        assertThat(jwt.getExpiresAt()).isEqualTo(now.get().plus(Duration.ofMinutes(10)));

        NimbusJwtDecoder otherSecret = NimbusJwtDecoder.withSecretKey(Keys.hmacKey("not base64! ".repeat(4), "s"))
                .macAlgorithm(MacAlgorithm.HS256).build();
        assertThatThrownBy(() -> otherSecret.decode(renewed)).isInstanceOf(JwtException.class);
    }
}
