package com.example.shop.common.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call this process, from {@code shop.security.*}. Keys and secrets come from the environment
 * ({@code JWT_PUBLIC_KEY}, {@code JWT_PRIVATE_KEY}, {@code SERVICE_SECRET}); nothing secret is in the
 * repository. {@code run.sh} generates a fresh set at every start and hands it to the processes it starts.
 *
 * @param jwt     the users' access tokens: RS256, signed by user-service, checked everywhere with its public key
 * @param service the service credential: HS256 tokens that each service mints for its calls to the others
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
     * @param secret        the shared HMAC secret of the service credential (at least 32 bytes; base64 or plain text)
     * @param tokenTtl      how long one minted service token is valid (renewed at half-life)
     * @param acceptTokens  whether this process accepts service tokens at all (the public gateway does not)
     */
    public record Service(String secret, @DefaultValue("5m") Duration tokenTtl,
            @DefaultValue("true") boolean acceptTokens) {
    }
}
