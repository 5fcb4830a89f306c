package com.example.shop.user;

import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.MapPropertySource;

import com.example.shop.security.KeyException;
import com.example.shop.security.test.TestSecurity;
import com.example.shop.user.auth.domain.SigningKeyException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Without the key that signs access tokens, or with a public key that does not belong to it, or without
 * its own service key or a trusted service's public key, user-service does not start.
 */
@ExtendWith(OutputCaptureExtension.class)
class SigningKeyStartupTest {

    @Test
    void withoutAPrivateKeyTheStartFailsNamingJwtPrivateKey(CapturedOutput output) {
        assertThatThrownBy(() -> start(Map.of("shop.security.jwt.private-key", "",
                "shop.security.jwt.public-key", TestSecurity.publicKey())))
                .rootCause().isInstanceOf(SigningKeyException.class).hasMessageContaining("JWT_PRIVATE_KEY");
        assertThat(output).contains("APPLICATION FAILED TO START").contains("Set the environment variable JWT_PRIVATE_KEY");
    }

    @Test
    void withNoKeysAtAllTheStartFailsNamingJwtPrivateKey() {
        assertThatThrownBy(() -> start(Map.of("shop.security.jwt.private-key", "", "shop.security.jwt.public-key", "")))
                .rootCause().hasMessageContaining("JWT_PRIVATE_KEY");
    }

    @Test
    void aPublicKeyThatIsNotThePrivateKeysHalfStopsTheStart() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String strangerPublicKey = Base64.getEncoder().encodeToString(generator.generateKeyPair().getPublic().getEncoded());
        assertThatThrownBy(() -> start(Map.of("shop.security.jwt.private-key", TestSecurity.privateKey(),
                "shop.security.jwt.public-key", strangerPublicKey)))
                .rootCause().isInstanceOf(SigningKeyException.class).hasMessageContaining("JWT_PUBLIC_KEY");
    }

    @Test
    void withoutItsOwnServiceKeyTheStartFailsNamingServicePrivateKey(CapturedOutput output) {
        assertThatThrownBy(() -> start(Map.of("shop.security.service.private-key", "")))
                .rootCause().isInstanceOf(KeyException.class).hasMessageContaining("SERVICE_PRIVATE_KEY");
        assertThat(output).contains("APPLICATION FAILED TO START").contains("./run.sh keys");
    }

    @Test
    void aTrustedServicesMissingOrUnreadablePublicKeyStopsTheStartNamingIt() {
        assertThatThrownBy(() -> start(Map.of("PRODUCT_SERVICE_PUBLIC_KEY", "")))
                .rootCause().isInstanceOf(KeyException.class).hasMessageContaining("PRODUCT_SERVICE_PUBLIC_KEY) is not set");
        assertThatThrownBy(() -> start(Map.of("GATEWAY_PUBLIC_KEY", "bm90IGEga2V5")))
                .satisfies(failure -> assertThat(keyException(failure))
                        .hasMessageContaining("GATEWAY_PUBLIC_KEY) is not an RSA public key"));
    }

    /** The {@link KeyException} among the causes of a failed start (it wraps the key parser's own). */
    private static KeyException keyException(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof KeyException key) {
                return key;
            }
        }
        throw new AssertionError("no KeyException in the causes of " + failure, failure);
    }

    /** Starts user-service with these key settings, set after the test keys that every test context gets. */
    private static void start(Map<String, Object> keys) {
        ApplicationListener<ApplicationEnvironmentPreparedEvent> override = event -> event.getEnvironment()
                .getPropertySources().addFirst(new MapPropertySource("keys-under-test", keys));
        new SpringApplicationBuilder(UserServiceApplication.class).listeners(override)
                .run("--server.port=0", "--shop.store.embedded.backend=memory").close();
    }
}
