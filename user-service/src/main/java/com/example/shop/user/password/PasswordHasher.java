package com.example.shop.user.password;

import java.util.UUID;
import java.util.concurrent.Callable;

import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadConfig;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadRegistry;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

import com.example.shop.user.config.AuthProperties;

/**
 * Argon2id password hashes (salted, memory-hard, deliberately slow). Hashing and checking run on a
 * bulkhead of their own ({@value #BULKHEAD}, a fixed pool of {@code shop.auth.hashing.concurrency}
 * threads with a queue of {@code shop.auth.hashing.queue}), never on an event-loop thread; a request that
 * finds both full fails at once with {@link HashingBusy}. So however many requests arrive, at most that
 * many hashes take their memory at once. Nothing here logs a password or a hash.
 */
@Component
public class PasswordHasher implements DisposableBean {

    /** The name of the bulkhead, also its tag in the {@code resilience4j.bulkhead.*} metrics. */
    public static final String BULKHEAD = "password-hashing";

    private final PasswordEncoder encoder;

    private final ThreadPoolBulkheadRegistry bulkheads;

    private final ThreadPoolBulkhead bulkhead;

    /**
     * A hash of a password nobody knows, checked when there is no hash to check against (unknown email),
     * so that an answer takes as long whether or not the email is registered.
     */
    private final String decoy;

    public PasswordHasher(PasswordEncoder encoder, AuthProperties properties, ThreadPoolBulkheadRegistry bulkheads) {
        this.encoder = encoder;
        this.bulkheads = bulkheads;
        AuthProperties.Hashing hashing = properties.hashing();
        this.bulkhead = bulkheads.bulkhead(BULKHEAD, ThreadPoolBulkheadConfig.custom()
                .maxThreadPoolSize(hashing.concurrency())
                .coreThreadPoolSize(hashing.concurrency())
                .queueCapacity(hashing.queue())
                .writableStackTraceEnabled(false)
                .build());
        this.decoy = encoder.encode(UUID.randomUUID().toString());
    }

    /** The Argon2id encoder with the configured cost. */
    public static Argon2PasswordEncoder argon2(AuthProperties.Password p) {
        return new Argon2PasswordEncoder(p.saltLength(), p.hashLength(), p.parallelism(), p.memory(), p.iterations());
    }

    public Mono<String> hash(String password) {
        return bounded(() -> encoder.encode(password));
    }

    /** Whether {@code password} matches {@code hash}; a missing hash never matches (but costs as much to check). */
    public Mono<Boolean> matches(String password, String hash) {
        return bounded(() -> {
            if (hash == null) {
                encoder.matches(password, decoy);
                return false;
            }
            return encoder.matches(password, hash);
        });
    }

    private <T> Mono<T> bounded(Callable<T> work) {
        return Mono.defer(() -> Mono.fromCompletionStage(bulkhead.executeCallable(work)))
                .onErrorMap(BulkheadFullException.class, full -> new HashingBusy());
    }

    @Override
    public void destroy() throws Exception {
        bulkheads.remove(BULKHEAD);
        bulkhead.close();
    }
}
