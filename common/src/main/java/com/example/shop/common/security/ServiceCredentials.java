package com.example.shop.common.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import javax.crypto.SecretKey;

import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;

/**
 * This process's credential for calls to the other services: a short-lived HS256 token with the shared
 * service secret ({@code iss} {@value #ISSUER}, {@code aud} {@value #AUDIENCE}, the service's name as
 * subject), minted on first use and renewed at half-life. A user's access token (RS256, another issuer
 * and audience) can never pass for it, nor it for an access token.
 */
public final class ServiceCredentials {

    public static final String ISSUER = "shop-services";

    public static final String AUDIENCE = "shop-internal";

    private final String serviceName;

    private final NimbusJwtEncoder encoder;

    private final Duration ttl;

    private final Clock clock;

    private final AtomicReference<Jwt> current = new AtomicReference<>();

    public ServiceCredentials(String serviceName, SecretKey secret, Duration ttl, Clock clock) {
        this.serviceName = serviceName;
        this.encoder = NimbusJwtEncoder.withSecretKey(secret).algorithm(MacAlgorithm.HS256).build();
        this.ttl = ttl;
        this.clock = clock;
    }

    /** A valid service token, renewed when half of its life is gone. */
    public String token() {
        Instant now = clock.instant();
        Jwt jwt = current.get();
        if (jwt == null || jwt.getExpiresAt().minus(ttl.dividedBy(2)).isBefore(now)) {
            jwt = encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(),
                    JwtClaimsSet.builder()
                            .issuer(ISSUER)
                            .audience(java.util.List.of(AUDIENCE))
                            .subject(serviceName)
                            .issuedAt(now)
                            .expiresAt(now.plus(ttl))
                            .build()));
            current.set(jwt);
        }
        return jwt.getTokenValue();
    }

    /** Adds {@code Authorization: Bearer <service token>} to each request of a WebClient. */
    public ExchangeFilterFunction filter() {
        return ExchangeFilterFunction.ofRequestProcessor(request -> Mono.fromSupplier(() -> ClientRequest.from(request)
                .headers(headers -> headers.setBearerAuth(token()))
                .build()));
    }
}
