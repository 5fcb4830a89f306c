package com.example.shop.user;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.example.shop.security.test.TestSecurity;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Deleting a user: one write makes it a tombstone, a 404 everywhere at once, that can no longer sign in
 * or change anything; the sweep then has product-service delete the user's products (WireMock plays
 * product-service) and removes the tombstone only once product-service confirms, also when
 * product-service was down at the time of the delete.
 */
class UserDeletionTest extends ApiTestSupport {

    @Test
    void aDeletedUserIsA404EverywhereAtOnceChangesNothingAndItsAddressIsFreeAgain() {
        String gone = createUser("Gone", "gone@example.com");
        String reader = createUser("Reader", "reader@example.com");
        String product = new ObjectId().toHexString();
        as(gone).post().uri("/users/{id}/cart/items", gone).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("productId", product, "quantity", 2)).exchange().expectStatus().isOk();
        productServiceDown(gone);

        as(gone).delete().uri("/users/{id}", gone).exchange().expectStatus().isNoContent();

        for (WebTestClient caller : List.of(as(reader), as(gone), asService())) {
            caller.get().uri("/users/{id}", gone).exchange().expectStatus().isNotFound();
            caller.get().uri("/users?ids={a},{b}", gone, reader).exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$[*].id").isEqualTo(List.of(reader));
            caller.get().uri("/users?page=0&size=100").exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.content[*].id").isEqualTo(List.of(reader))
                    .jsonPath("$.page.totalElements").isEqualTo(1);
        }
        signIn("gone@example.com").expectStatus().isUnauthorized();

        // the deleted user's own token: its profile and cart are gone, and nothing it sends changes them
        WebTestClient self = as(gone);
        self.patch().uri("/users/{id}", gone).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Back", "email", "back@example.com")).exchange().expectStatus().isNotFound();
        self.delete().uri("/users/{id}", gone).exchange().expectStatus().isNotFound();
        self.get().uri("/users/{id}/cart", gone).exchange().expectStatus().isNotFound();
        self.post().uri("/users/{id}/cart/items", gone).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("productId", product, "quantity", 1)).exchange().expectStatus().isNotFound();
        self.put().uri("/users/{id}/cart/items/{p}", gone, product).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("quantity", 5)).exchange().expectStatus().isNotFound();
        self.delete().uri("/users/{id}/cart/items/{p}", gone, product).exchange().expectStatus().isNotFound();
        self.delete().uri("/users/{id}/cart", gone).exchange().expectStatus().isNotFound();

        Document tombstone = rawUser(gone);
        assertThat(tombstone).as("the tombstone, kept while product-service is down").isNotNull();
        assertThat(tombstone.get("deletion", Document.class)).isNotNull();
        assertThat(tombstone).as("nothing of the person is kept").doesNotContainKeys("name", "passwordHash", "cart");
        assertThat(tombstone.getString("email")).doesNotContain("@");

        String again = createUser("Gone again", "gone@example.com");
        assertThat(again).isNotEqualTo(gone);
        signIn("gone@example.com").expectStatus().isOk();
        as(again).get().uri("/users/{id}/cart", again).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items").isEmpty();
    }

    @Test
    void theSweepHasProductServiceDeleteTheUsersProductsThenRemovesTheTombstone() {
        String gone = createUser("Gone", "gone@example.com");
        productService.stubFor(delete(urlPathEqualTo(deleteProductsOf(gone)))
                .willReturn(okJson("{\"userId\":\"" + gone + "\",\"productsDeleted\":3}")));

        as(gone).delete().uri("/users/{id}", gone).exchange().expectStatus().isNoContent();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(rawUser(gone)).isNull());
        assertThat(productsDeletedCalls(gone)).isNotEmpty().allSatisfy(call ->
                assertThat(call.getHeader(HttpHeaders.AUTHORIZATION)).as("user-service's own service credential")
                        .startsWith("Bearer ").isNotEqualTo("Bearer " + TestSecurity.userToken(gone)));
    }

    @Test
    void whenProductServiceIsDownAtTheDeleteTheUsersProductsAreDeletedOnceItIsBack() {
        String gone = createUser("Gone", "gone@example.com");
        productServiceDown(gone);

        as(gone).delete().uri("/users/{id}", gone).exchange().expectStatus().isNoContent();

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(rawUser(gone).get("deletion", Document.class).getInteger("attempts"))
                        .as("failed attempts, retried with backoff").isGreaterThanOrEqualTo(3));
        as(gone).get().uri("/users/{id}", gone).exchange().expectStatus().isNotFound();
        int callsWhileDown = productsDeletedCalls(gone).size();

        productService.stubFor(delete(urlPathEqualTo(deleteProductsOf(gone)))
                .willReturn(okJson("{\"userId\":\"" + gone + "\",\"productsDeleted\":1}")));

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(rawUser(gone)).isNull());
        assertThat(productsDeletedCalls(gone).size()).isGreaterThan(callsWhileDown);
    }

    @Test
    void anUnknownUserIs404AndNothingIsAskedOfProductService() {
        String nobody = new ObjectId().toHexString();
        as(nobody).delete().uri("/users/{id}", nobody).exchange().expectStatus().isNotFound();
        assertThat(productsDeletedCalls(nobody)).isEmpty();
    }

    private void productServiceDown(String userId) {
        productService.stubFor(delete(urlPathEqualTo(deleteProductsOf(userId)))
                .willReturn(aResponse().withFault(CONNECTION_RESET_BY_PEER)));
    }

    private static String deleteProductsOf(String userId) {
        return DELETE_PRODUCTS_OF + userId + "/products";
    }

    private List<LoggedRequest> productsDeletedCalls(String userId) {
        return productService.findAll(deleteRequestedFor(urlPathEqualTo(deleteProductsOf(userId))));
    }

    private WebTestClient.ResponseSpec signIn(String email) {
        return web.post().uri("/auth/token").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "password", PASSWORD)).exchange();
    }

    private Document rawUser(String id) {
        return mongo.findById(new ObjectId(id), Document.class, "users").block(Duration.ofSeconds(30));
    }
}
