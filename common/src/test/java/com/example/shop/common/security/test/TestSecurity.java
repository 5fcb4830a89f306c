package com.example.shop.common.security.test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

import com.example.shop.common.security.Keys;
import com.example.shop.common.security.ServiceCredentials;

/**
 * Keys and tokens for tests, made fresh in each test JVM (nothing secret is committed): the RSA pair that
 * signs access tokens, the service secret, and a second RSA pair that nobody trusts (for forged tokens).
 * {@link TestSecurityDefaults} hands the keys to every Spring context of the test JVM; {@link #environment()}
 * to the service processes a test starts.
 */
public final class TestSecurity {

    public static final String ISSUER = "shop-user-service";

    public static final String AUDIENCE = "shop-api";

    private static final KeyPair KEYS = rsa();

    private static final KeyPair FORGER = rsa();

    private static final String SERVICE_SECRET = randomSecret();

    private TestSecurity() {
    }

    public static String publicKey() {
        return Base64.getEncoder().encodeToString(KEYS.getPublic().getEncoded());
    }

    public static String privateKey() {
        return Base64.getEncoder().encodeToString(KEYS.getPrivate().getEncoded());
    }

    public static String serviceSecret() {
        return SERVICE_SECRET;
    }

    /** The environment variables of a service process that trusts these keys. */
    public static Map<String, String> environment() {
        return Map.of("JWT_PUBLIC_KEY", publicKey(), "JWT_PRIVATE_KEY", privateKey(), "SERVICE_SECRET", SERVICE_SECRET);
    }

    /** A valid access token of the user {@code userId}, for 15 minutes. */
    public static String userToken(String userId) {
        return sign(KEYS, userId, Instant.now(), Duration.ofMinutes(15), ISSUER, AUDIENCE);
    }

    /** An access token of {@code userId} that expired ten minutes ago (past any clock skew allowance). */
    public static String expiredUserToken(String userId) {
        return sign(KEYS, userId, Instant.now().minus(Duration.ofMinutes(30)), Duration.ofMinutes(20), ISSUER, AUDIENCE);
    }

    /** A well-formed access token of {@code userId} signed with a key nobody trusts. */
    public static String forgedUserToken(String userId) {
        return sign(FORGER, userId, Instant.now(), Duration.ofMinutes(15), ISSUER, AUDIENCE);
    }

    /** A valid service token of {@code service}, as that service would mint it. */
    public static String serviceToken(String service) {
        return new ServiceCredentials(service, Keys.hmacKey(SERVICE_SECRET, "test"), Duration.ofMinutes(5),
                Clock.systemUTC()).token();
    }

    private static String sign(KeyPair keys, String subject, Instant issuedAt, Duration ttl, String issuer,
            String audience) {
        NimbusJwtEncoder encoder = NimbusJwtEncoder
                .withKeyPair((RSAPublicKey) keys.getPublic(), (RSAPrivateKey) keys.getPrivate()).build();
        return encoder.encode(JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.RS256).build(),
                JwtClaimsSet.builder().issuer(issuer).audience(List.of(audience)).subject(subject)
                        .issuedAt(issuedAt).expiresAt(issuedAt.plus(ttl)).build())).getTokenValue();
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
