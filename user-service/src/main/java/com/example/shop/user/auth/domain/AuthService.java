package com.example.shop.user.auth.domain;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Service;

import com.example.shop.user.config.AuthProperties;
import com.example.shop.user.user.domain.User;
import com.example.shop.user.password.PasswordHasher;

/**
 * Signing in: email and password for an access token. Each attempt is counted by the {@link LoginThrottle}
 * before anything else; one over the limit is refused without checking the password. An unknown email
 * costs a password check too and fails the same way as a wrong password. A success clears the count.
 * <p>
 * Outcomes are counted in {@value #METRIC} ({@code outcome} = {@code issued}, {@code invalid_credentials},
 * {@code throttled}).
 */
@Service
public class AuthService {

    public static final String METRIC = "shop.auth.token.requests";

    private static final Logger log = LoggerFactory.getLogger(AuthService.class);

    private final ReactiveMongoTemplate mongo;

    private final PasswordHasher passwords;

    private final LoginThrottle throttle;

    private final AccessTokens tokens;

    private final Counter issued;

    private final Counter invalid;

    private final Counter throttled;

    public AuthService(ReactiveMongoTemplate mongo, PasswordHasher passwords, LoginThrottle throttle,
            AccessTokens tokens, AuthProperties properties, MeterRegistry meters) {
        this.mongo = mongo;
        this.passwords = passwords;
        this.throttle = throttle;
        this.tokens = tokens;
        this.issued = meters.counter(METRIC, "outcome", "issued");
        this.invalid = meters.counter(METRIC, "outcome", "invalid_credentials");
        this.throttled = meters.counter(METRIC, "outcome", "throttled");
        AuthProperties.Password argon2 = properties.password();
        AuthProperties.Hashing hashing = properties.hashing();
        log.info("Access tokens: RS256, key id {}, valid {}; sign-in throttle: {} attempts per email per window of {}; "
                        + "password hashes: Argon2id m={} KiB t={} p={}, at most {} at once and {} waiting",
                tokens.keyId(), tokens.ttl(), throttle.maxFailures(), throttle.window(), argon2.memory(),
                argon2.iterations(), argon2.parallelism(), hashing.concurrency(), hashing.queue());
    }

    /** An access token for the user with this email and password; {@link SignInRefused} otherwise. */
    public Mono<AccessTokens.Issued> signIn(String email, String password) {
        return throttle.count(email).flatMap(attempt -> {
            if (!attempt.allowed()) {
                throttled.increment();
                return Mono.error(new SignInRefused.Throttled(attempt.retryAfter()));
            }
            // an unknown email (or a user without a password) is checked against a decoy hash: as slow, never a match
            return mongo.findOne(Query.query(Criteria.where("email").is(email)), User.class)
                    .map(Optional::of)
                    .defaultIfEmpty(Optional.empty())
                    .flatMap(user -> passwords.matches(password, user.map(User::passwordHash).orElse(null))
                            .flatMap(ok -> ok ? Mono.just(user.get()) : refused()))
                    .flatMap(user -> throttle.clear(email).then(tokens.issue(user.id().toHexString())))
                    .doOnNext(token -> issued.increment());
        });
    }

    private <T> Mono<T> refused() {
        return Mono.fromRunnable(invalid::increment).then(Mono.error(SignInRefused.InvalidCredentials::new));
    }
}
