package com.example.shop.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import com.example.shop.security.test.TestSecurity;

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
    void aTrustedServicesTokenPassesOnlyWithItsOwnKeyIssuerAndName() {
        var productService = serviceTokenDecoder("product-service",
                TestSecurity.servicePublicKey("product-service"));

        assertThat(productService.decode(TestSecurity.serviceToken("product-service")).block().getSubject())
                .isEqualTo("product-service");
        assertThatThrownBy(() -> productService.decode(TestSecurity.serviceToken("gateway")).block())
                .as("another service's key").isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> productService.decode(TestSecurity.serviceTokenClaiming("product-service",
                "shop-service:product-service", "gateway")).block())
                .as("product-service's key, naming another service").isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> productService.decode(TestSecurity.serviceTokenClaiming("product-service",
                "shop-services", "product-service")).block())
                .as("the old shared issuer").isInstanceOf(JwtException.class);
    }

    @Test
    void aMissingOrUnreadableKeyStopsTheStartWithTheSettingNamed() {
        assertThatThrownBy(() -> Keys.rsaPublicKey("", "shop.security.jwt.public-key (JWT_PUBLIC_KEY)"))
                .hasMessageContaining("JWT_PUBLIC_KEY").hasMessageContaining("not set");
        assertThatThrownBy(() -> Keys.rsaPublicKey("bm90IGEga2V5", "JWT_PUBLIC_KEY"))
                .hasMessageContaining("JWT_PUBLIC_KEY is not an RSA public key");
        assertThatThrownBy(() -> serviceTokenDecoder("product-service", ""))
                .isInstanceOf(KeyException.class)
                .hasMessageContaining("PRODUCT_SERVICE_PUBLIC_KEY").hasMessageContaining("not set");
        assertThatThrownBy(() -> Keys.rsaPrivateKey(TestSecurity.publicKey(), "SERVICE_PRIVATE_KEY"))
                .hasMessageContaining("SERVICE_PRIVATE_KEY is not an RSA private key");
    }

    @Test
    void aServiceTokenIsSignedWithTheServicesOwnKeyAndRenewedAtHalfLife() {
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
        var key = Keys.rsaPrivateKey(TestSecurity.servicePrivateKey("product-service"), "s");
        ServiceCredentials credentials = new ServiceCredentials("product-service", key, Duration.ofMinutes(10), clock);

        String first = credentials.token();
        now.set(now.get().plus(Duration.ofMinutes(4)));
        assertThat(credentials.token()).as("still young: the same token").isEqualTo(first);
        now.set(now.get().plus(Duration.ofMinutes(2)));
        String renewed = credentials.token();
        assertThat(renewed).as("past half-life: a new token").isNotEqualTo(first);

        NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(
                Keys.rsaPublicKey(TestSecurity.servicePublicKey("product-service"), "k")).build();
        decoder.setJwtValidator(token -> OAuth2TokenValidatorResult.success());
        Jwt jwt = decoder.decode(renewed);
        assertThat(jwt.getSubject()).isEqualTo("product-service");
        assertThat(jwt.getClaimAsString("iss")).isEqualTo("shop-service:product-service");
        assertThat(jwt.getAudience()).containsExactly(ServiceCredentials.AUDIENCE);
        assertThat(jwt.getExpiresAt()).isEqualTo(now.get().plus(Duration.ofMinutes(10)));

        NimbusJwtDecoder anotherServicesKey = NimbusJwtDecoder.withPublicKey(
                Keys.rsaPublicKey(TestSecurity.servicePublicKey("user-service"), "k")).build();
        assertThatThrownBy(() -> anotherServicesKey.decode(renewed)).isInstanceOf(JwtException.class);
    }

    /** The decoder of one trusted service's tokens, as the process's {@link BearerTokens} checks them. */
    private static ReactiveJwtDecoder serviceTokenDecoder(String service, String publicKey) {
        return new BearerTokens(Map.of(ServiceCredentials.issuerOf(service),
                ShopSecurityAutoConfiguration.serviceTokens(service, publicKey))).decoder();
    }
}
