package com.example.shop.user;

import java.util.List;

import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.test.json.JsonCompareMode;

import com.example.shop.security.test.TestSecurity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /internal/users/ids}, the ids of the users matching a page's filters, which the gateway asks for its
 * filters through a reference ({@code /api/products?userId.name=eq.Ada}): open to every signed-in caller, as a page
 * of users is, with the page's filters only ({@code email} refused by name), and bounded by {@code limit}.
 */
class MatchingUsersApiTest extends ApiTestSupport {

    @Test
    void answersTheIdsOfTheUsersThatPassEveryFilter() {
        String ada = createUser("Ada", "ada@example.com");
        String adam = createUser("Adam", "adam@example.com");
        createUser("Bob", "bob@example.com");

        List<String> prefixed = ids(as(ada).get().uri("/internal/users/ids?name=prefix.Ad&of=id").exchange());
        assertThat(prefixed).containsExactlyInAnyOrder(ada, adam);
        asGateway().get().uri("/internal/users/ids?name=eq.Ada&of=id").exchange()
                .expectStatus().isOk().expectBody().json("[\"" + ada + "\"]", JsonCompareMode.STRICT);
        asGateway().get().uri("/internal/users/ids?name=prefix.Ad&id=in.{a},{b}&of=id", adam, new ObjectId().toHexString())
                .exchange().expectStatus().isOk().expectBody().json("[\"" + adam + "\"]", JsonCompareMode.STRICT);
        asGateway().get().uri("/internal/users/ids?name=eq.Nobody&of=id").exchange()
                .expectStatus().isOk().expectBody().json("[]", JsonCompareMode.STRICT);
    }

    @Test
    void answersAtMostTheLimitSoThatOneMoreThanTheBoundTellsTooMany() {
        for (int i = 0; i < 3; i++) {
            createUser("Ann " + i, "ann" + i + "@example.com");
        }
        assertThat(ids(asGateway().get().uri("/internal/users/ids?name=prefix.Ann&of=id&limit=2").exchange())).hasSize(2);
        assertThat(ids(asGateway().get().uri("/internal/users/ids?name=prefix.Ann&of=id").exchange())).hasSize(3);
    }

    @Test
    void aDeletedUserMatchesNothing() {
        String ada = createUser("Ada", "ada@example.com");
        as(ada).delete().uri("/users/{id}", ada).exchange().expectStatus().isNoContent();

        asGateway().get().uri("/internal/users/ids?name=eq.Ada&of=id").exchange()
                .expectStatus().isOk().expectBody().json("[]", JsonCompareMode.STRICT);
    }

    @Test
    void refusesWhatAPageRefusesAndAnythingButItsOwnParameters() {
        String reader = createUser("Reader", "reader@example.com");
        expectProblem(as(reader).get().uri("/internal/users/ids?email=eq.ada@example.com&of=id").exchange(),
                HttpStatus.BAD_REQUEST, "email");
        expectProblem(as(reader).get().uri("/internal/users/ids?name=gt.A&of=id").exchange(), HttpStatus.BAD_REQUEST, "name");
        expectProblem(as(reader).get().uri("/internal/users/ids?name=eq.A").exchange(), HttpStatus.BAD_REQUEST, "of");
        expectProblem(as(reader).get().uri("/internal/users/ids?name=eq.A&of=name").exchange(), HttpStatus.BAD_REQUEST, "of");
        expectProblem(as(reader).get().uri("/internal/users/ids?of=id&limit=1002").exchange(), HttpStatus.BAD_REQUEST, "limit");
        expectProblem(as(reader).get().uri("/internal/users/ids?of=id&limit=0").exchange(), HttpStatus.BAD_REQUEST, "limit");
    }

    @Test
    void needsAToken() {
        web.get().uri("/internal/users/ids?name=eq.Ada&of=id").exchange().expectStatus().isUnauthorized();
    }

    /** The gateway narrows a page to up to 1,000 ids it matched: a page takes them on {@code id}. */
    @Test
    void aPageTakesAThousandIds() {
        String ada = createUser("Ada", "ada@example.com");
        List<String> ids = new java.util.ArrayList<>(java.util.stream.Stream.generate(() -> new ObjectId().toHexString())
                .limit(999).toList());
        ids.add(ada);
        asGateway().get().uri("/users?id=in." + String.join(",", ids)).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.page.totalElements").isEqualTo(1).jsonPath("$.content[0].id").isEqualTo(ada);
    }

    private org.springframework.test.web.reactive.server.WebTestClient asGateway() {
        return withToken(TestSecurity.serviceToken("gateway"));
    }

    @SuppressWarnings("unchecked")
    private static List<String> ids(org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec response) {
        return response.expectStatus().isOk().expectBody(List.class).returnResult().getResponseBody();
    }
}
