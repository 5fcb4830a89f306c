package com.example.shop.product;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.example.shop.deletion.Deletion;
import com.example.shop.product.product.domain.Product;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /internal/products/ids?...&of=userId}, the distinct owners of the products matching a page's filters,
 * which the gateway asks for its filters through a user's list of products ({@code /api/users?products.price=gte.100}):
 * public as every read of products, with the page's filters only, bounded by {@code limit}; and a page of products
 * narrowed to the 1,000 owners it can carry.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class MatchingProductsApiTest {

    static final UserServiceStub userService = new UserServiceStub();

    @DynamicPropertySource
    static void userServiceUrl(DynamicPropertyRegistry registry) {
        registry.add("shop.remote.user-service", userService::url);
    }

    @LocalServerPort
    int port;

    @Autowired
    ReactiveMongoTemplate mongo;

    WebTestClient web;

    final ObjectId ada = new ObjectId();

    final ObjectId bob = new ObjectId();

    final ObjectId cy = new ObjectId();

    @BeforeEach
    void products() {
        web = TestClients.oneConnectionPerRequest(port);
        mongo.remove(new Query(), "products").block();
        insert("Lamp", "150", ada, null);
        insert("Lantern", "120", ada, null);
        insert("Ladder", "300", bob, null);
        insert("Rug", "20", cy, null);
        insert("Lathe", "900", cy, Deletion.pending(Instant.now()));
    }

    private void insert(String title, String price, ObjectId owner, Deletion deletion) {
        mongo.insert(new Product(null, title, "https://img.example.com/x.png", new BigDecimal(price), "", owner, deletion))
                .block();
    }

    @Test
    void answersTheDistinctOwnersOfTheLiveProductsThatPassEveryFilter() {
        assertThat(ids("/internal/products/ids?price=gte.100&of=userId"))
                .containsExactlyInAnyOrder(ada.toHexString(), bob.toHexString());
        assertThat(ids("/internal/products/ids?price=gte.100&title=prefix.Lan&of=userId")).containsExactly(ada.toHexString());
        // cy's only product over 100 is deleted
        assertThat(ids("/internal/products/ids?price=gte.500&of=userId")).isEmpty();
        assertThat(ids("/internal/products/ids?userId=in.{a},{c}&of=userId", ada, cy))
                .containsExactlyInAnyOrder(ada.toHexString(), cy.toHexString());
        web.get().uri("/internal/products/ids?title=eq.Rug&of=userId").exchange()
                .expectStatus().isOk().expectBody().json("[\"" + cy + "\"]", JsonCompareMode.STRICT);
    }

    @Test
    void answersAtMostTheLimit() {
        assertThat(ids("/internal/products/ids?price=gte.1&of=userId&limit=2")).hasSize(2);
        assertThat(ids("/internal/products/ids?price=gte.1&of=userId")).hasSize(3);
    }

    @Test
    void refusesWhatAPageRefusesAndAnythingButItsOwnParameters() {
        for (String[] bad : List.of(
                new String[] {"description=eq.x&of=userId", "description"},
                new String[] {"title=gt.A&of=userId", "title"},
                new String[] {"price=gte.1", "of"},
                new String[] {"price=gte.1&of=price", "of"},
                new String[] {"price=gte.1&of=userId&limit=1002", "limit"})) {
            web.get().uri("/internal/products/ids?" + bad[0]).exchange()
                    .expectStatus().isEqualTo(HttpStatus.BAD_REQUEST)
                    .expectBody().jsonPath("$.errors[0].field").isEqualTo(bad[1]);
        }
    }

    /** The gateway narrows a page to up to 1,000 owners it matched: a page takes them on {@code userId}. */
    @Test
    void aPageTakesAThousandOwners() {
        List<String> owners = new ArrayList<>(Stream.generate(() -> new ObjectId().toHexString()).limit(999).toList());
        owners.add(bob.toHexString());
        web.get().uri("/products?userId=in." + String.join(",", owners)).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.page.totalElements").isEqualTo(1).jsonPath("$.content[0].title").isEqualTo("Ladder");
    }

    @SuppressWarnings("unchecked")
    private List<String> ids(String uri, Object... variables) {
        return web.get().uri(uri, variables).exchange().expectStatus().isOk().expectBody(List.class).returnResult()
                .getResponseBody();
    }
}
