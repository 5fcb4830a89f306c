package com.example.shop.gateway.api;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;

import com.example.shop.gateway.api.ApiDeclaration.Operation;
import com.example.shop.gateway.api.PublicApi.Populatable;
import com.example.shop.gateway.api.PublicApi.Route;
import com.example.shop.gateway.populate.Shape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the gateway derives from {@code api.yml}, and a declaration that does not hold together stopping the start. */
class PublicApiTest {

    private static final Set<String> REMOTE = Set.of("user-service", "product-service");

    private final PublicApi api = ShopApi.api();

    @Test
    void theShopsRoutesAreItsResourcesPathsOnTheirBackends() {
        assertThat(api.routes()).containsExactly(new Route("user-service", "/users"), new Route("user-service", "/auth"),
                new Route("product-service", "/products"));
        assertThat(api.routedPaths("user-service")).containsExactly("/users", "/auth");
    }

    @Test
    void signUpTheTokenItsKeysAndProductReadsAreOpenAndSignInsLimited() {
        assertThat(api.open()).containsExactlyInAnyOrder(Operation.of("POST /api/users"),
                Operation.of("POST /api/auth/token"), Operation.of("GET /api/auth/jwks"), Operation.of("GET /api/products"),
                Operation.of("GET /api/products/{id}"));
        assertThat(api.signInLimited()).containsExactlyInAnyOrder(Operation.of("POST /api/users"),
                Operation.of("POST /api/auth/token"));
        assertThat(api.isOpen("get", "/api/products/{id}")).isTrue();
        assertThat(api.isOpen("PATCH", "/api/products/{id}")).isFalse();
    }

    @Test
    void usersCartsAndProductsArePopulatableOnTheirGetsAndOnTheWritesThatAnswerThem() {
        assertThat(api.populatable()).containsExactlyInAnyOrder(
                get("/api/users", "user", Shape.COLLECTION), get("/api/users/{id}", "user", Shape.ITEM),
                get("/api/users/{id}/cart", "cart", Shape.ITEM),
                get("/api/products", "product", Shape.COLLECTION),
                get("/api/products/{id}", "product", Shape.ITEM),
                write("POST /api/users", "user"), write("PATCH /api/users/{id}", "user"),
                write("POST /api/users/{id}/cart/items", "cart"), write("PUT /api/users/{id}/cart/items/{productId}", "cart"),
                write("POST /api/products", "product"), write("PATCH /api/products/{id}", "product"));
        assertThat(api.populatable("/users")).extracting(Populatable::toString).contains("POST /api/users/{id}/cart/items")
                .doesNotContain("POST /api/products");
        assertThat(api.populatable("/auth")).isEmpty();
        assertThat(api.shared()).containsExactly("product");
        assertThat(api.owners()).isEqualTo(Map.of("product", "userId"));
        assertThat(api.lookups()).isEqualTo(Map.of("user", "/users", "product", "/products"));
    }

    private static Populatable get(String path, String resource, Shape shape) {
        return new Populatable(HttpMethod.GET, path, resource, shape);
    }

    private static Populatable write(String operation, String resource) {
        Operation write = Operation.of(operation);
        return new Populatable(write.method(), write.path(), resource, Shape.ITEM);
    }

    @Test
    void aPopulatableWriteMustBeAPostPutOrPatchThatIsRoutedElseTheStartStops() {
        ApiDeclaration declaration = ShopApi.declaration(Map.of(
                "shop.api.resources.product.populatable-writes[0]", "DELETE /api/products/{id}",
                "shop.api.resources.product.populatable-writes[1]", "POST /api/categories"));

        assertThatThrownBy(() -> new PublicApi(declaration, REMOTE))
                .hasMessageContaining("resource product: populatable write DELETE /api/products/{id} is not a POST, PUT or PATCH")
                .hasMessageContaining("resource product: populatable write POST /api/categories is not routed");
    }

    @Test
    void aFilterableFieldNeedsAKnownTypeAndANameNoListOptionHasElseTheStartStops() {
        ApiDeclaration declaration = ShopApi.declaration(Map.of(
                "shop.api.resources.product.filterable.title", "string",
                "shop.api.resources.product.filterable.limit", "decimal"));

        assertThatThrownBy(() -> new PublicApi(declaration, REMOTE))
                .hasMessageContaining("resource product: filterable title has type 'string'; a type is id, decimal or "
                        + "string(<max length>)")
                .hasMessageContaining("resource product: filterable limit is the name of a list option");
    }

    @Test
    void anOperationIsWrittenMethodThenPath() {
        assertThat(Operation.of(" get  /api/x ")).isEqualTo(new Operation(HttpMethod.GET, "/api/x"));
        assertThatThrownBy(() -> Operation.of("/api/x")).hasMessageContaining("'METHOD /path'");
    }

    @Test
    void aReferenceToAnUnknownResourceStopsTheStart() {
        ApiDeclaration declaration = ShopApi.declaration(Map.of("shop.api.resources.product.references[categoryId]", "category"));

        assertThatThrownBy(() -> new PublicApi(declaration, REMOTE)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("shop.api")
                .hasMessageContaining("resource product: reference categoryId points to unknown resource category");
    }

    @Test
    void aBackendWithoutInstancesOrUndeclaredStopsTheStart() {
        ApiDeclaration declaration = ShopApi.declaration(Map.of(
                "shop.api.backends.category-service.anonymous-lookups", "nothing",
                "shop.api.resources.category.backend", "category-service",
                "shop.api.resources.category.path", "/categories",
                "shop.api.resources.tag.backend", "tag-service"));

        assertThatThrownBy(() -> new PublicApi(declaration, REMOTE))
                .hasMessageContaining("backend category-service has no instances: set shop.remote.category-service")
                .hasMessageContaining("resource tag: backend tag-service is not declared");
    }

    @Test
    void aListNeedsTheReferenceItGoesBackBy() {
        ApiDeclaration declaration = ShopApi.declaration(Map.of("shop.api.resources.user.lists.products.by", "ownerId"));

        assertThatThrownBy(() -> new PublicApi(declaration, REMOTE))
                .hasMessageContaining("resource user: list products needs product.ownerId to be a reference to user");
    }

    @Test
    void aLimitedOperationMustBeRouted() {
        ApiDeclaration declaration = ShopApi.declaration(Map.of("shop.api.resources.product.sign-in-limited[0]", "POST /api/other"));

        assertThatThrownBy(() -> new PublicApi(declaration, REMOTE))
                .hasMessageContaining("resource product: operation path /api/other is not routed");
    }
}
