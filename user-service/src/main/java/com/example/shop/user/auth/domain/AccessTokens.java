package com.example.shop.user.auth.domain;

import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.stereotype.Component;

import com.example.shop.security.Keys;
import com.example.shop.security.SecurityProperties;

/**
 * Signs users' access tokens: RS256 JWTs with the private key of {@code shop.security.jwt.private-key}
 * ({@code JWT_PRIVATE_KEY}), {@code kid} = the key's RFC 7638 thumbprint (the same on every instance that
 * has the key), {@code iss} and {@code aud} from {@code shop.security.jwt.*}, {@code sub} = the user's id,
 * valid for {@code shop.security.jwt.ttl}. Publishes the public half as a JWK set. Without the private
 * key user-service does not start.
 */
@Component
public class AccessTokens {

    static final String PRIVATE_KEY = "shop.security.jwt.private-key (JWT_PRIVATE_KEY)";

    static final String PUBLIC_KEY = "shop.security.jwt.public-key (JWT_PUBLIC_KEY)";

    /** An access token and how long it is valid. */
    public record Issued(String value, Duration ttl) {
    }

    private final RSAKey signingKey;

    private final Map<String, Object> publicJwks;

    private final NimbusJwtEncoder encoder;

    private final String issuer;

    private final String audience;

    private final Duration ttl;

    private final Clock clock = Clock.systemUTC();

    public AccessTokens(SecurityProperties properties) {
        SecurityProperties.Jwt jwt = properties.jwt();
        this.signingKey = signingKey(jwt);
        this.publicJwks = new JWKSet(signingKey.toPublicJWK()).toJSONObject();
        this.encoder = new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(signingKey)));
        this.issuer = jwt.issuer();
        this.audience = jwt.audience();
        this.ttl = jwt.ttl();
    }

    /** A fresh access token of the user {@code userId}. Signing is CPU work: it runs off the event loop. */
    public Mono<Issued> issue(String userId) {
        return Mono.fromCallable(() -> {
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            JwtClaimsSet claims = JwtClaimsSet.builder()
                    .issuer(issuer)
                    .audience(List.of(audience))
                    .subject(userId)
                    .issuedAt(now)
                    .expiresAt(now.plus(ttl))
                    .build();
            JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).keyId(signingKey.getKeyID()).build();
            return new Issued(encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue(), ttl);
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /** The JWK set of the key that verifies the tokens: {@code {"keys": [{kty, e, n, kid, alg, use}]}}, public parts only. */
    public Map<String, Object> publicJwks() {
        return publicJwks;
    }

    public String keyId() {
        return signingKey.getKeyID();
    }

    public Duration ttl() {
        return ttl;
    }

    private static RSAKey signingKey(SecurityProperties.Jwt jwt) {
        if (jwt.privateKey() == null || jwt.privateKey().isBlank()) {
            throw new SigningKeyException("user-service signs access tokens, and " + PRIVATE_KEY + " is not set.",
                    "Set the environment variable JWT_PRIVATE_KEY to an RSA private key (base64 of PKCS#8 DER on one "
                            + "line, or PEM); ./run.sh generates a set at each start, and ./run.sh keys prints one.", null);
        }
        RSAPrivateKey privateKey;
        RSAPublicKey publicKey;
        try {
            privateKey = Keys.rsaPrivateKey(jwt.privateKey(), PRIVATE_KEY);
            publicKey = Keys.publicKeyOf(privateKey, PRIVATE_KEY);
        }
        catch (IllegalStateException e) {
            throw new SigningKeyException(e.getMessage(),
                    "Give JWT_PRIVATE_KEY an RSA private key: base64 of PKCS#8 DER on one line, or PEM.", e);
        }
        if (jwt.publicKey() != null && !jwt.publicKey().isBlank()
                && !Keys.rsaPublicKey(jwt.publicKey(), PUBLIC_KEY).equals(publicKey)) {
            throw new SigningKeyException(PUBLIC_KEY + " is not the public half of " + PRIVATE_KEY
                    + ": every token user-service signs would be refused.",
                    "Give JWT_PUBLIC_KEY the public key of JWT_PRIVATE_KEY, or leave it unset in user-service "
                            + "(it then uses the private key's public half).", null);
        }
        try {
            return new RSAKey.Builder(publicKey)
                    .privateKey(privateKey)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .keyIDFromThumbprint()
                    .build();
        }
        catch (JOSEException e) {
            throw new SigningKeyException("The key id of " + PRIVATE_KEY + " cannot be computed: " + e.getMessage(),
                    "Check JWT_PRIVATE_KEY.", e);
        }
    }
}
