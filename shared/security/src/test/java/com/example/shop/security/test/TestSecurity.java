package com.example.shop.security.test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

import com.example.shop.security.SecurityProperties;
import com.example.shop.security.ServiceCredentials;

/**
 * Keys and tokens for tests, made fresh in each test JVM (nothing secret is committed): the RSA pair that
 * signs access tokens, one RSA pair per service name (its service credential), and a second RSA pair that
 * nobody trusts (for forged tokens). {@link TestSecurityDefaults} hands the keys to every Spring context of
 * the test JVM; {@link #environment(String)} to the service processes a test starts.
 */
public final class TestSecurity {

    public static final String ISSUER = "shop-user-service";

    public static final String AUDIENCE = "shop-api";

    private static final KeyPair KEYS = rsa();

    private static final KeyPair FORGER = rsa();

    /** The shop's services: every process is given their public keys (and trusts those its configuration names). */
    public static final List<String> SERVICES = List.of("user-service", "product-service", "gateway");

    private static final Map<String, KeyPair> SERVICE_KEYS = new ConcurrentHashMap<>();

    private TestSecurity() {
    }

    public static String publicKey() {
        return Base64.getEncoder().encodeToString(KEYS.getPublic().getEncoded());
    }

    public static String privateKey() {
        return Base64.getEncoder().encodeToString(KEYS.getPrivate().getEncoded());
    }

    /** The private key of the service {@code name}'s credential (its {@code SERVICE_PRIVATE_KEY}). */
    public static String servicePrivateKey(String name) {
        return Base64.getEncoder().encodeToString(serviceKeys(name).getPrivate().getEncoded());
    }

    /** The public key of the service {@code name}'s credential (its {@code <NAME>_PUBLIC_KEY}). */
    public static String servicePublicKey(String name) {
        return Base64.getEncoder().encodeToString(serviceKeys(name).getPublic().getEncoded());
    }

    /** The public keys of every service, by their variables ({@code USER_SERVICE_PUBLIC_KEY}, ...). */
    public static Map<String, String> servicePublicKeys() {
        Map<String, String> keys = new HashMap<>();
        SERVICES.forEach(name -> keys.put(SecurityProperties.Service.publicKeyVariable(name), servicePublicKey(name)));
        return keys;
    }

    /**
     * The environment variables of the service process {@code service}: the access-token keys, its own
     * service key, and every service's public key (the process trusts those its configuration names).
     */
    public static Map<String, String> environment(String service) {
        Map<String, String> environment = new HashMap<>(servicePublicKeys());
        environment.put("JWT_PUBLIC_KEY", publicKey());
        environment.put("JWT_PRIVATE_KEY", privateKey());
        environment.put("SERVICE_PRIVATE_KEY", servicePrivateKey(service));
        return environment;
    }

    /** A valid access token of the user {@code userId}, for 15 minutes. */
    public static String userToken(String userId) {
        return userToken(userId, Instant.now());
    }

    /** An access token of the user {@code userId} issued at {@code issuedAt}, valid for 15 minutes from then. */
    public static String userToken(String userId, Instant issuedAt) {
        return sign(KEYS, userId, issuedAt, Duration.ofMinutes(15), ISSUER, AUDIENCE);
    }

    /** An access token of {@code userId} that expired ten minutes ago (past any clock skew allowance). */
    public static String expiredUserToken(String userId) {
        return sign(KEYS, userId, Instant.now().minus(Duration.ofMinutes(30)), Duration.ofMinutes(20), ISSUER, AUDIENCE);
    }

    /** A well-formed access token of {@code userId} signed with a key nobody trusts. */
    public static String forgedUserToken(String userId) {
        return sign(FORGER, userId, Instant.now(), Duration.ofMinutes(15), ISSUER, AUDIENCE);
    }

    /** A valid service token of {@code service}, as that service would mint it with its own key. */
    public static String serviceToken(String service) {
        return new ServiceCredentials(service, (RSAPrivateKey) serviceKeys(service).getPrivate(), Duration.ofMinutes(5),
                Clock.systemUTC()).token();
    }

    /**
     * A service token signed with the key of {@code signer} that claims to come from {@code claimed}
     * (issuer and subject): what a service that holds only its own key could forge.
     */
    public static String serviceTokenClaiming(String signer, String claimedIssuer, String claimedSubject) {
        return sign(serviceKeys(signer), claimedSubject, Instant.now(), Duration.ofMinutes(5), claimedIssuer,
                ServiceCredentials.AUDIENCE);
    }

    /**
     * The service token in {@code token}, checked as a process that trusts {@code service} checks it (its
     * key, issuer and audience); a {@code JwtException} if it does not pass.
     */
    public static Jwt verifyServiceToken(String service, String token) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey((RSAPublicKey) serviceKeys(service).getPublic())
                .signatureAlgorithm(SignatureAlgorithm.RS256).build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(ServiceCredentials.issuerOf(service)),
                jwt -> jwt.getAudience().contains(ServiceCredentials.AUDIENCE) && service.equals(jwt.getSubject())
                        ? OAuth2TokenValidatorResult.success()
                        : OAuth2TokenValidatorResult.failure(
                                new OAuth2Error("invalid_token"))));
        return decoder.decode(token);
    }

    private static KeyPair serviceKeys(String service) {
        return SERVICE_KEYS.computeIfAbsent(service, name -> rsa());
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
}
