package com.example.shop.user;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import com.example.shop.security.test.TestSecurity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each token is verified once, not on every request (shop-security's verified tokens), counted by the cache's
 * meters: the gateway's populate lookup of scenario 3 ({@code GET /users?ids=} with the gateway's service token,
 * the same on every request for half its life) and a user's own token; a token that does not pass is verified on
 * each request and kept never.
 */
class VerifiedTokensApiTest extends ApiTestSupport {

    @Autowired
    MeterRegistry meters;

    @Test
    void theSameTokenIsVerifiedOnceForManyRequests() {
        String ada = createUser("Ada", "ada@example.com");
        String gateway = TestSecurity.serviceToken("gateway");
        String adas = TestSecurity.userToken(ada);
        double hits = gets("hit");
        double misses = gets("miss");

        for (int request = 0; request < 10; request++) {
            withToken(gateway).get().uri("/users?ids={id}", ada).exchange().expectStatus().isOk();
            withToken(adas).get().uri("/users/{id}", ada).exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.email").isEqualTo("ada@example.com");
        }

        // Ada's token is new; the gateway's may have been verified already by another test of this context (a
        // service token is the same for every caller within its second)
        assertThat(gets("miss") - misses).as("one verification per token, at most").isBetween(1.0, 2.0);
        assertThat((gets("hit") - hits) + (gets("miss") - misses)).as("every request went through the cache")
                .isEqualTo(20);
    }

    @Test
    void aForgedTokenIsVerifiedOnEveryRequestAndNeverKept() {
        String ada = createUser("Ada", "ada@example.com");
        String forged = TestSecurity.forgedUserToken(ada);
        double hits = gets("hit");
        double misses = gets("miss");

        for (int request = 0; request < 3; request++) {
            withToken(forged).get().uri("/users/{id}", ada).exchange().expectStatus().isUnauthorized();
        }

        assertThat(gets("miss") - misses).isEqualTo(3);
        assertThat(gets("hit") - hits).isZero();
    }

    private double gets(String result) {
        return meters.get("cache.gets").tag("cache", "verified-tokens").tag("result", result).functionCounter().count();
    }
}
