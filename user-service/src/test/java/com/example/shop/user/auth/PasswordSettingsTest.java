package com.example.shop.user.auth;

import io.github.resilience4j.bulkhead.ThreadPoolBulkheadRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

import com.example.shop.user.password.PasswordHasher;
import com.example.shop.user.config.AuthProperties;

import static org.assertj.core.api.Assertions.assertThat;

/** The production defaults of the Argon2id cost, and the settings' own rules. */
class PasswordSettingsTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(Settings.class);

    @EnableConfigurationProperties(AuthProperties.class)
    static class Settings {
    }

    @Test
    void byDefaultHashesCostWhatSpringSecuritysCurrentDefaultsCost() {
        runner.run(context -> {
            AuthProperties properties = context.getBean(AuthProperties.class);
            PasswordHasher hasher = new PasswordHasher(PasswordHasher.argon2(properties.password()), properties,
                    ThreadPoolBulkheadRegistry.ofDefaults());
            String ours = hasher.hash("a password").block();
            String springs = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8().encode("a password");
            // $argon2id$v=19$m=16384,t=2,p=1$<salt>$<hash>: same parameters, same salt and hash lengths
            String[] a = ours.split("\\$");
            String[] b = springs.split("\\$");
            assertThat(a[1]).isEqualTo(b[1]).isEqualTo("argon2id");
            assertThat(a[3]).isEqualTo(b[3]).isEqualTo("m=16384,t=2,p=1");
            assertThat(a[4]).hasSameSizeAs(b[4]);
            assertThat(a[5]).hasSameSizeAs(b[5]);
            assertThat(hasher.matches("a password", ours).block()).isTrue();
            assertThat(hasher.matches("a password", springs).block()).as("any parameters verify").isTrue();
            assertThat(hasher.matches("another", ours).block()).isFalse();
            assertThat(hasher.matches("a password", null).block()).as("no hash never matches").isFalse();
            hasher.destroy();
        });
    }

    @Test
    void throttleDefaultsAreFiveAttemptsPerFifteenMinutes() {
        runner.run(context -> {
            AuthProperties.Throttle throttle = context.getBean(AuthProperties.class).throttle();
            assertThat(throttle.maxFailures()).isEqualTo(5);
            assertThat(throttle.window()).hasMinutes(15);
        });
    }

    @Test
    void byDefaultAsManyHashesRunAsThereAreProcessorsAndSixteenWait() {
        runner.run(context -> {
            AuthProperties.Hashing hashing = context.getBean(AuthProperties.class).hashing();
            assertThat(hashing.concurrency()).isEqualTo(Runtime.getRuntime().availableProcessors());
            assertThat(hashing.queue()).isEqualTo(16);
        });
        runner.withPropertyValues("shop.auth.hashing.concurrency=3", "shop.auth.hashing.queue=0")
                .run(context -> assertThat(context.getBean(AuthProperties.class).hashing())
                        .isEqualTo(new AuthProperties.Hashing(3, 0)));
    }

    @Test
    void lessMemoryThanArgon2AllowsIsRefused() {
        runner.withPropertyValues("shop.auth.password.memory=8", "shop.auth.password.parallelism=2")
                .run(context -> assertThat(context).hasFailed()
                        .getFailure().rootCause().hasMessageContaining("shop.auth.password.memory"));
    }
}
