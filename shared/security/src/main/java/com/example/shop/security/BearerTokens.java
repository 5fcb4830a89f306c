package com.example.shop.security;

import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Ticker;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.proc.SingleKeyJWSKeySelector;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.JWTProcessor;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtReactiveAuthenticationManager;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverter;

/**
 * The bearer tokens a process takes, told apart by their issuer, each token parsed once: its {@code iss}
 * picks the key that must have signed it (RS256), the rules its claims must pass and the role it gives.
 * A token of any other issuer, or none, is refused as invalid (401 {@code invalid_token}), as is one whose
 * signature or claims do not pass. Spring Security's {@code JwtIssuerReactiveAuthenticationManagerResolver}
 * does the same with a decoder per issuer, but parses each token twice (once for its issuer, once to
 * verify it). A token verified lately is not verified again ({@link VerifiedTokens}, when they are kept).
 */
final class BearerTokens {

    /** How the tokens of one issuer are checked, and the role ({@code ROLE_...}) they give. */
    record Issuer(JWTProcessor<SecurityContext> processor, OAuth2TokenValidator<Jwt> validator, String role) {

        /** Signed with {@code key}, RS256 only; the claims are left to {@code validator}. */
        static Issuer rs256(RSAPublicKey key, OAuth2TokenValidator<Jwt> validator, String role) {
            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            processor.setJWSKeySelector(new SingleKeyJWSKeySelector<>(JWSAlgorithm.RS256, key));
            // as Spring Security's decoders: any "typ", and claims are checked by the OAuth2TokenValidator
            processor.setJWSTypeVerifier((type, context) -> {
            });
            processor.setJWTClaimsSetVerifier((claims, context) -> {
            });
            return new Issuer(processor, validator, role);
        }
    }

    private final Map<String, Issuer> byIssuer;

    private final VerifiedTokens verified;

    private final ReactiveJwtDecoder decoder;

    /** Each token checked in full on every request. */
    BearerTokens(Map<String, Issuer> byIssuer) {
        this(byIssuer, new VerifiedTokensProperties(Duration.ZERO, 0));
    }

    /** With the tokens verified lately kept as {@code verifiedTokens} says ({@link VerifiedTokens}). */
    BearerTokens(Map<String, Issuer> byIssuer, VerifiedTokensProperties verifiedTokens) {
        this.byIssuer = new HashMap<>(byIssuer);
        NimbusReactiveJwtDecoder verifying = new NimbusReactiveJwtDecoder(this::verifiedClaims);
        verifying.setJwtValidator(this::validate);
        this.verified = verifiedTokens.enabled()
                ? new VerifiedTokens(verifying, this::validate, verifiedTokens.ttl(), verifiedTokens.maxSize(),
                        Clock.systemUTC(), Ticker.systemTicker())
                : null;
        this.decoder = verified == null ? verifying : verified;
    }

    /**
     * Decodes, verifies and validates a token: one parse, then its issuer's key and rules; a token verified
     * lately is taken from {@link VerifiedTokens} when they are kept, its rules checked again.
     */
    ReactiveJwtDecoder decoder() {
        return decoder;
    }

    /** Binds the meters of the verified tokens kept, if any are. */
    void bindTo(MeterRegistry registry) {
        if (verified != null) {
            verified.bindTo(registry);
        }
    }

    /** Authenticates a bearer token with {@link #decoder()}, with its issuer's role as the only authority. */
    ReactiveAuthenticationManager authenticationManager() {
        ReactiveJwtAuthenticationConverter converter = new ReactiveJwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(jwt -> Flux.just(new SimpleGrantedAuthority(issuerOf(jwt).role())));
        JwtReactiveAuthenticationManager manager = new JwtReactiveAuthenticationManager(decoder());
        manager.setJwtAuthenticationConverter(converter);
        return manager;
    }

    private Mono<JWTClaimsSet> verifiedClaims(JWT token) {
        try {
            String issuer = token.getJWTClaimsSet().getIssuer();
            Issuer known = issuer == null ? null : byIssuer.get(issuer);
            if (known == null) {
                return Mono.error(new BadJwtException("Invalid issuer"));
            }
            return Mono.just(known.processor().process(token, null));
        }
        catch (ParseException | BadJOSEException refused) {
            return Mono.error(new BadJwtException("An error occurred while attempting to decode the Jwt: "
                    + refused.getMessage(), refused));
        }
        catch (JOSEException failed) {
            return Mono.error(new JwtException("An error occurred while attempting to decode the Jwt: "
                    + failed.getMessage(), failed));
        }
    }

    /** The rules of a token's issuer, on a token that {@link #verifiedClaims} let through. */
    private OAuth2TokenValidatorResult validate(Jwt jwt) {
        return issuerOf(jwt).validator().validate(jwt);
    }

    /** The issuer of a token that {@link #verifiedClaims} let through: one of {@link #byIssuer}. */
    private Issuer issuerOf(Jwt jwt) {
        return byIssuer.get(jwt.getClaimAsString(JwtClaimNames.ISS));
    }
}
