package com.example.shop.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import java.security.interfaces.RSAPrivateKey;
import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;

/**
 * This process's credential for calls to the other services: a short-lived RS256 token signed with this
 * process's own private key ({@code iss} {@value #ISSUER_PREFIX}{@code <name>}, {@code aud}
 * {@value #AUDIENCE}, the service's name as subject), minted on first use and renewed at half-life. A
 * process that trusts this service holds its public key under its name and takes the token as that
 * service only ({@link ShopSecurityAutoConfiguration}); no process holds another's private key. A user's
 * access token (user-service's signing key, another issuer and audience) can never pass for it, nor it
 * for an access token.
 */
public final class ServiceCredentials {

    /** A service token's issuer is this followed by the service's name. */
    public static final String ISSUER_PREFIX = "shop-service:";

    public static final String AUDIENCE = "shop-internal";

    private final String serviceName;

    private final NimbusJwtEncoder encoder;

    private final Duration ttl;

    private final Clock clock;

    private final AtomicReference<Jwt> current = new AtomicReference<>();

    /**
     * @param serviceName this process's name ({@code spring.application.name}): the token's subject and issuer
     * @param privateKey  this process's own RSA private key ({@code SERVICE_PRIVATE_KEY})
     */
    public ServiceCredentials(String serviceName, RSAPrivateKey privateKey, Duration ttl, Clock clock) {
        this.serviceName = serviceName;
        this.encoder = NimbusJwtEncoder.withKeyPair(Keys.publicKeyOf(privateKey, "SERVICE_PRIVATE_KEY"), privateKey)
                .build();
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The issuer of the service tokens of {@code serviceName}. */
    public static String issuerOf(String serviceName) {
        return ISSUER_PREFIX + serviceName;
    }

    public String serviceName() {
        return serviceName;
    }

    /** A valid service token, renewed when half of its life is gone. */
    public String token() {
        Instant now = clock.instant();
        Jwt jwt = current.get();
        if (jwt == null || jwt.getExpiresAt().minus(ttl.dividedBy(2)).isBefore(now)) {
            jwt = encoder.encode(JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.RS256).build(),
                    JwtClaimsSet.builder()
                            .issuer(issuerOf(serviceName))
                            .audience(List.of(AUDIENCE))
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

    /**
     * Like {@link #filter()}, but a request that already carries {@code Authorization} (a caller's own
     * token, put there by an earlier filter) keeps it: the service credential only where there is no other.
     */
    public ExchangeFilterFunction filterUnlessAuthorized() {
        return (request, next) -> request.headers().containsHeader(HttpHeaders.AUTHORIZATION)
                ? next.exchange(request)
                : filter().filter(request, next);
    }
}
