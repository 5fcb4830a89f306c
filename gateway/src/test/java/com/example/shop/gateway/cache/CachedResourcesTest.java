package com.example.shop.gateway.cache;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;

import com.example.shop.gateway.api.ShopApi;
import com.example.shop.gateway.cache.CachedResources.Mark;

import static com.example.shop.gateway.api.ShopApi.PRODUCT;
import static com.example.shop.gateway.api.ShopApi.USER;
import static org.assertj.core.api.Assertions.assertThat;

/** Which routed writes make which cached documents stale, as the public API's declaration has it. */
class CachedResourcesTest {

    private static final String USER_ID = "a00000000000000000000001";

    private static final String PRODUCT_ID = "b00000000000000000000001";

    private final CachedResources resources = new CachedResources(ShopApi.api());

    @Test
    void aWriteToAUserOrItsCartMakesTheUserStale() {
        Mark user = new Mark(USER, Mark.ID, USER_ID);

        assertThat(resources.touchedBy(HttpMethod.PATCH, "/api/users/" + USER_ID)).containsExactly(user);
        assertThat(resources.touchedBy(HttpMethod.PUT, "/api/users/" + USER_ID)).containsExactly(user);
        assertThat(resources.touchedBy(HttpMethod.POST, "/api/users/" + USER_ID + "/cart/items")).containsExactly(user);
        assertThat(resources.touchedBy(HttpMethod.DELETE, "/api/users/" + USER_ID + "/cart/items/" + PRODUCT_ID))
                .containsExactly(user);
    }

    @Test
    void deletingAUserMakesItsProductsStaleToo() {
        assertThat(resources.touchedBy(HttpMethod.DELETE, "/api/users/" + USER_ID)).containsExactly(
                new Mark(USER, Mark.ID, USER_ID), new Mark(PRODUCT, "userId", USER_ID));
    }

    @Test
    void aWriteToAProductMakesTheProductStale() {
        assertThat(resources.touchedBy(HttpMethod.PATCH, "/api/products/" + PRODUCT_ID))
                .containsExactly(new Mark(PRODUCT, Mark.ID, PRODUCT_ID));
        assertThat(resources.touchedBy(HttpMethod.DELETE, "/api/products/" + PRODUCT_ID))
                .containsExactly(new Mark(PRODUCT, Mark.ID, PRODUCT_ID));
    }

    @Test
    void aPercentEncodedIdMarksTheIdItSpells() {
        // the services decode a path before they read its id; so does the mark
        assertThat(resources.touchedBy(HttpMethod.PATCH, "/api/users/%61" + USER_ID.substring(1)))
                .containsExactly(new Mark(USER, Mark.ID, USER_ID));
        assertThat(resources.touchedBy(HttpMethod.DELETE, "/api/products/%62" + PRODUCT_ID.substring(1)))
                .containsExactly(new Mark(PRODUCT, Mark.ID, PRODUCT_ID));
    }

    @Test
    void readsAndCreationsMakeNothingStale() {
        assertThat(resources.touchedBy(HttpMethod.GET, "/api/users/" + USER_ID)).isEmpty();
        assertThat(resources.touchedBy(HttpMethod.HEAD, "/api/products/" + PRODUCT_ID)).isEmpty();
        assertThat(resources.touchedBy(HttpMethod.POST, "/api/products")).isEmpty();
        assertThat(resources.touchedBy(HttpMethod.POST, "/api/users")).isEmpty();
        assertThat(resources.touchedBy(HttpMethod.POST, "/api/auth/token")).isEmpty();
    }
}
