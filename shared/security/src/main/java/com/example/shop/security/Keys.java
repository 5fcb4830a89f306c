package com.example.shop.security;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Reads the keys of {@link SecurityProperties} from text: base64 of the DER encoding on one line (what
 * an environment variable holds comfortably), or PEM. A key that is missing or does not read is a
 * {@link KeyException} naming the setting, which stops the start-up.
 */
public final class Keys {

    private static final String ACTION = "Set it in the environment: ./run.sh generates JWT_PRIVATE_KEY, "
            + "JWT_PUBLIC_KEY, each process's SERVICE_PRIVATE_KEY and the services' public keys "
            + "(USER_SERVICE_PUBLIC_KEY, ...) at each start, and ./run.sh keys prints a set "
            + "(for docker compose: ./run.sh keys > .env).";

    private Keys() {
    }

    private static KeyException invalid(String description, Throwable cause) {
        return new KeyException(description, ACTION, cause);
    }

    public static RSAPublicKey rsaPublicKey(String text, String setting) {
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der(text, setting)));
        }
        catch (GeneralSecurityException | ClassCastException e) {
            throw invalid(setting + " is not an RSA public key (base64 X.509 or PEM): " + e.getMessage(), e);
        }
    }

    public static RSAPrivateKey rsaPrivateKey(String text, String setting) {
        try {
            return (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der(text, setting)));
        }
        catch (GeneralSecurityException | ClassCastException e) {
            throw invalid(setting + " is not an RSA private key (base64 PKCS#8 or PEM): " + e.getMessage(), e);
        }
    }

    /** The public half of a private key (a PKCS#8 RSA key carries its public exponent). */
    public static RSAPublicKey publicKeyOf(RSAPrivateKey privateKey, String setting) {
        if (!(privateKey instanceof RSAPrivateCrtKey crt)) {
            throw invalid(setting + " does not carry its public exponent (not a CRT key)", null);
        }
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
        }
        catch (GeneralSecurityException e) {
            throw invalid(setting + ": " + e.getMessage(), e);
        }
    }

    private static byte[] der(String text, String setting) {
        if (text == null || text.isBlank()) {
            throw invalid(setting + " is not set", null);
        }
        String base64 = text.replaceAll("-----(BEGIN|END)[A-Z ]*-----", "").replaceAll("\\s", "");
        try {
            return Base64.getDecoder().decode(base64);
        }
        catch (IllegalArgumentException e) {
            throw invalid(setting + " is not base64 or PEM", e);
        }
    }
}
