package com.example.shop.gateway.populate.cache;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;

import com.example.shop.gateway.populate.cache.CachedResources.Mark;

import static com.example.shop.gateway.populate.ShopSchema.PRODUCT;
import static com.example.shop.gateway.populate.ShopSchema.USER;
import static org.assertj.core.api.Assertions.assertThat;

/** Which routed writes make which cached documents stale. */
class CachedResourcesTest {

    private static final String USER_ID = "a00000000000000000000001";

    private static final String PRODUCT_ID = "b00000000000000000000001";

    @Test
    void aWriteToAUserOrItsCartMakesTheUserStale() {
        Mark user = new Mark(USER, Mark.ID, USER_ID);

        assertThat(CachedResources.touchedBy(HttpMethod.PATCH, "/api/users/" + USER_ID)).containsExactly(user);
        assertThat(CachedResources.touchedBy(HttpMethod.PUT, "/api/users/" + USER_ID)).containsExactly(user);
        assertThat(CachedResources.touchedBy(HttpMethod.POST, "/api/users/" + USER_ID + "/cart/items")).containsExactly(user);
        assertThat(CachedResources.touchedBy(HttpMethod.DELETE, "/api/users/" + USER_ID + "/cart/items/" + PRODUCT_ID))
                .containsExactly(user);
    }

    @Test
    void deletingAUserMakesItsProductsStaleToo() {
        assertThat(CachedResources.touchedBy(HttpMethod.DELETE, "/api/users/" + USER_ID)).containsExactly(
                new Mark(USER, Mark.ID, USER_ID), new Mark(PRODUCT, "userId", USER_ID));
    }

    @Test
    void aWriteToAProductMakesTheProductStale() {
        assertThat(CachedResources.touchedBy(HttpMethod.PATCH, "/api/products/" + PRODUCT_ID))
                .containsExactly(new Mark(PRODUCT, Mark.ID, PRODUCT_ID));
        assertThat(CachedResources.touchedBy(HttpMethod.DELETE, "/api/products/" + PRODUCT_ID))
                .containsExactly(new Mark(PRODUCT, Mark.ID, PRODUCT_ID));
    }

    @Test
    void aPercentEncodedIdMarksTheIdItSpells() {
        // the services decode a path before they read its id; so does the mark
        assertThat(CachedResources.touchedBy(HttpMethod.PATCH, "/api/users/%61" + USER_ID.substring(1)))
                .containsExactly(new Mark(USER, Mark.ID, USER_ID));
        assertThat(CachedResources.touchedBy(HttpMethod.DELETE, "/api/products/%62" + PRODUCT_ID.substring(1)))
                .containsExactly(new Mark(PRODUCT, Mark.ID, PRODUCT_ID));
    }

    @Test
    void readsAndCreationsMakeNothingStale() {
        assertThat(CachedResources.touchedBy(HttpMethod.GET, "/api/users/" + USER_ID)).isEmpty();
        assertThat(CachedResources.touchedBy(HttpMethod.HEAD, "/api/products/" + PRODUCT_ID)).isEmpty();
        assertThat(CachedResources.touchedBy(HttpMethod.POST, "/api/products")).isEmpty();
        assertThat(CachedResources.touchedBy(HttpMethod.POST, "/api/users")).isEmpty();
        assertThat(CachedResources.touchedBy(HttpMethod.POST, "/api/auth/token")).isEmpty();
    }
}
