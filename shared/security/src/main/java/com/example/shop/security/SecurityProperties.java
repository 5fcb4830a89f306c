package com.example.shop.security;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call this process, from {@code shop.security.*}. Keys and secrets come from the environment
 * ({@code JWT_PUBLIC_KEY}, {@code JWT_PRIVATE_KEY}, {@code SERVICE_PRIVATE_KEY} and the trusted services'
 * {@code <NAME>_PUBLIC_KEY}); nothing secret is in the repository. {@code run.sh} generates a fresh set at
 * every start and hands each process only its own private key and the public keys it needs.
 *
 * @param jwt     the users' access tokens: RS256, signed by user-service, checked everywhere with its public key
 * @param service the service credentials: RS256 tokens that each process signs with its own key for its
 *                calls to the others, and the services whose tokens this process takes
 */
@ConfigurationProperties("shop.security")
public record SecurityProperties(@DefaultValue Jwt jwt, @DefaultValue Service service) {

    /**
     * @param publicKey  the RSA public key that verifies access tokens: base64 of its X.509 (DER) encoding, or PEM
     * @param privateKey the RSA private key that signs them (user-service only): base64 of PKCS#8 (DER), or PEM
     * @param issuer     the {@code iss} of access tokens
     * @param audience   the {@code aud} of access tokens
     * @param ttl        how long an access token is valid
     */
    public record Jwt(String publicKey, String privateKey, @DefaultValue("shop-user-service") String issuer,
            @DefaultValue("shop-api") String audience, @DefaultValue("15m") Duration ttl) {
    }

    /**
     * @param privateKey this process's own RSA private key, which signs its service tokens
     *                   ({@code SERVICE_PRIVATE_KEY}): base64 of PKCS#8 (DER), or PEM
     * @param trusted    the services whose tokens this process takes, by name, each with its RSA public key
     *                   (base64 X.509 or PEM; {@code PRODUCT_SERVICE_PUBLIC_KEY}, ...); none: no service
     *                   token is taken (the public gateway)
     * @param tokenTtl   how long one minted service token is valid (renewed at half-life)
     */
    public record Service(String privateKey, Map<String, String> trusted, @DefaultValue("5m") Duration tokenTtl) {

        public Service {
            trusted = trusted == null ? Map.of() : trusted;
        }

        /** The environment variable that holds the public key of the service {@code name}. */
        public static String publicKeyVariable(String name) {
            return name.toUpperCase(Locale.ROOT).replace('-', '_') + "_PUBLIC_KEY";
        }
    }
}
