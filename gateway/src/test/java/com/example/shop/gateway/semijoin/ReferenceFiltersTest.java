package com.example.shop.gateway.semijoin;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.util.MultiValueMap;
import org.springframework.web.util.UriComponentsBuilder;

import com.example.shop.gateway.api.ApiDeclaration;
import com.example.shop.gateway.api.PublicApi;
import com.example.shop.gateway.api.ShopApi;
import com.example.shop.gateway.semijoin.ReferenceFilters.Join;
import com.example.shop.gateway.semijoin.ReferenceFilters.Plan;
import com.example.shop.web.ApiException;
import com.example.shop.web.FieldProblem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How the filters through a reference are read from a page's query, with the shop's own declaration ({@code api.yml}):
 * which parameters go to which target, what the page keeps, and every wrong parameter named in one 400, with nothing
 * called; what a declaration that cannot serve them stops the start with; and their lines in the API document.
 */
class ReferenceFiltersTest {

    static final Set<String> REMOTE = Set.of("user-service", "product-service");

    final ReferenceFilters filters = new ReferenceFilters(ShopApi.api());

    static MultiValueMap<String, String> query(String query) {
        return UriComponentsBuilder.fromUriString("/x?" + query).build().getQueryParams();
    }

    @Test
    void theProductsAndUsersPagesAreTheOnesFilteredThrough() {
        assertThat(filters.pages()).containsExactlyInAnyOrderEntriesOf(Map.of("/api/products", "product", "/api/users", "user"));
        assertThat(filters.ways("product")).containsOnlyKeys("userId");
        assertThat(filters.ways("user")).containsOnlyKeys("products");
        assertThat(filters.pageAt("/api/products/x")).isEmpty();
    }

    @Test
    void aForwardFilterAsksTheUsersIdsForTheProductsOwner() {
        Plan plan = filters.plan("product", query("userId.name=eq.Ada&userId.name=prefix.A&price=gte.10&size=5&page=2"))
                .orElseThrow();

        assertThat(plan.joins()).hasSize(1);
        Join join = plan.joins().get(0);
        assertThat(join.path()).isEqualTo("userId");
        assertThat(join.target()).isEqualTo("user");
        assertThat(join.match()).isEqualTo("/internal/users/ids");
        assertThat(join.of()).isEqualTo("id");
        assertThat(join.key()).isEqualTo("userId");
        assertThat(join.conditions()).containsExactly(Map.entry("name", List.of("eq.Ada", "prefix.A")));
        assertThat(plan.removed()).containsExactly("userId.name");
        assertThat(plan.page().getPageSize()).isEqualTo(5);
        assertThat(plan.page().getPageNumber()).isEqualTo(2);
    }

    @Test
    void aReverseFilterAsksTheProductsOwnersWithEveryConditionOnThePathAndTheUsersOwnIdFilter() {
        Plan plan = filters.plan("user", query("products.price=gte.100&products.title=prefix.La&id=in."
                + "a00000000000000000000001&sort=name")).orElseThrow();

        Join join = plan.joins().get(0);
        assertThat(join.target()).isEqualTo("product");
        assertThat(join.of()).isEqualTo("userId");
        assertThat(join.key()).isEqualTo("id");
        assertThat(join.conditions()).containsExactly(Map.entry("price", List.of("gte.100")),
                Map.entry("title", List.of("prefix.La")), Map.entry("userId", List.of("in.a00000000000000000000001")));
        assertThat(plan.removed()).containsExactlyInAnyOrder("products.price", "products.title", "id");
    }

    @Test
    void aPageWithoutThemGoesAsItCame() {
        assertThat(filters.plan("product", query("price=gte.1&populate=userId&foo.bar=1"))).isEmpty();
    }

    @Test
    void everyWrongParameterIsNamedInOne400() {
        assertThatThrownBy(() -> filters.plan("product", query(
                "userId.email=eq.a@example.com&userId.products.price=gte.1&userId.name=gt.A&price=zz.1&size=0&color=red")))
                .isInstanceOfSatisfying(ApiException.class, problem -> {
                    assertThat(problem.status().value()).isEqualTo(400);
                    assertThat(problem.errors()).extracting(FieldProblem::field).containsExactlyInAnyOrder(
                            "userId.email", "userId.products.price", "userId.name", "price", "color", "size");
                    assertThat(problem.errors()).filteredOn(error -> error.field().equals("userId.email"))
                            .singleElement().extracting(FieldProblem::message).asString()
                            .contains("user cannot be filtered on 'email'", "name, id");
                });
    }

    @Test
    void aFilterableTypeThatIsNoneStopsTheStart() {
        ApiDeclaration declaration = ShopApi.declaration(Map.of("shop.api.resources.product.filterable.price", "float"));

        assertThatThrownBy(() -> new PublicApi(declaration, REMOTE))
                .hasMessageContaining("resource product: filterable price has type 'float'");
    }

    @Test
    void aReferenceFilteredThroughMustFilterThePageAsAnId() {
        ApiDeclaration declaration = ShopApi.declaration(Map.of("shop.api.resources.product.filterable.userId", "decimal"));

        assertThatThrownBy(() -> new PublicApi(declaration, REMOTE))
                .hasMessageContaining("resource product: reference userId leads to user, which matches ids: userId must be"
                        + " filterable as an id")
                .hasMessageContaining("resource user: list products lists product, which matches ids");
    }

    @Test
    void theApiDocumentListsEachFilterWithItsOperatorsAndTheBound() {
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        ObjectNode get = document.putObject("paths").putObject("/api/products").putObject("get");
        get.putObject("responses").putObject("200");

        new ReferenceFilterDocumentation(filters, new ReferenceFilterProperties(1000)).accept(document);

        JsonNode name = get.get("parameters").valueStream()
                .filter(parameter -> parameter.get("name").stringValue().equals("userId.name")).findFirst().orElseThrow();
        assertThat(name.get("in").stringValue()).isEqualTo("query");
        assertThat(name.get(ReferenceFilterDocumentation.EXTENSION).get("operators").valueStream().map(JsonNode::stringValue).toList())
                .containsExactly("eq", "in", "prefix");
        assertThat(name.get(ReferenceFilterDocumentation.EXTENSION).get("maxIds").asInt()).isEqualTo(1000);
        assertThat(name.get(ReferenceFilterDocumentation.EXTENSION).get("target").stringValue()).isEqualTo("user");
        assertThat(get.get("parameters").valueStream().map(parameter -> parameter.get("name").stringValue()).toList())
                .containsExactly("userId.name", "userId.id").doesNotContain("userId.email");
        assertThat(get.get("responses").get("422").get("description").stringValue()).contains("1000");
    }
}
