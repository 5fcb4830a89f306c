package com.example.shop.user.auth.domain;

import java.util.UUID;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.stereotype.Component;

import com.example.shop.user.auth.AuthProperties;

/**
 * Argon2id password hashes (salted, memory-hard, deliberately slow). Hashing and checking run on the
 * bounded-elastic scheduler, never on an event-loop thread. Nothing here logs a password or a hash.
 */
@Component
public class PasswordHasher {

    private final Argon2PasswordEncoder encoder;

    /**
     * A hash of a password nobody knows, checked when there is no hash to check against (unknown email),
     * so that an answer takes as long whether or not the email is registered.
     */
    private final String decoy;

    public PasswordHasher(AuthProperties properties) {
        AuthProperties.Password p = properties.password();
        this.encoder = new Argon2PasswordEncoder(p.saltLength(), p.hashLength(), p.parallelism(), p.memory(),
                p.iterations());
        this.decoy = encoder.encode(UUID.randomUUID().toString());
    }

    public Mono<String> hash(String password) {
        return Mono.fromCallable(() -> encoder.encode(password)).subscribeOn(Schedulers.boundedElastic());
    }

    /** Whether {@code password} matches {@code hash}; a missing hash never matches (but costs as much to check). */
    public Mono<Boolean> matches(String password, String hash) {
        return Mono.fromCallable(() -> {
            if (hash == null) {
                encoder.matches(password, decoy);
                return false;
            }
            return encoder.matches(password, hash);
        }).subscribeOn(Schedulers.boundedElastic());
    }
}
