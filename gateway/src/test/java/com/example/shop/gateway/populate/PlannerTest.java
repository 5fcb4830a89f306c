package com.example.shop.gateway.populate;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlannerTest {

    private final Planner planner = new Planner(ShopSchema.resources(), 3);

    private PopulatePlan plan(String resource, String... parameters) {
        return planner.plan(resource, PopulateSpecParser.parse(List.of(parameters)));
    }

    @Test
    void aProductsOwnerIsOneNodeTargetingUsers() {
        PopulatePlan plan = plan("product", "userId");

        assertThat(plan.nodes()).containsExactly(new PlanNode("userId", List.of("userId"), "user", Set.of(), List.of()));
    }

    @Test
    void aUserReachesCartProductsThroughTheEmbeddedCart() {
        PopulatePlan plan = plan("user", "cart.items.productId");

        assertThat(plan.nodes()).singleElement().satisfies(node -> {
            assertThat(node.field()).containsExactly("cart", "items", "productId");
            assertThat(node.target()).isEqualTo("product");
        });
    }

    @Test
    void aCartsItemsReferToProducts() {
        assertThat(plan("cart", "items.productId").nodes()).singleElement()
                .extracting(PlanNode::target).isEqualTo("product");
    }

    @Test
    void aNestedPathPopulatesItsPrefixWholeOnTheWay() {
        PopulatePlan plan = plan("user", "cart.items.productId.userId(name)");

        PlanNode products = plan.nodes().get(0);
        assertThat(products.path()).isEqualTo("cart.items.productId");
        assertThat(products.select()).isEmpty();
        assertThat(products.children()).containsExactly(
                new PlanNode("cart.items.productId.userId", List.of("userId"), "user", Set.of("name"), List.of()));
        assertThat(plan.paths()).containsExactly("cart.items.productId", "cart.items.productId.userId");
    }

    @Test
    void pathsSharingAPrefixShareItsNode() {
        PopulatePlan plan = plan("user", "cart.items.productId", "cart.items.productId.userId");

        assertThat(plan.nodes()).hasSize(1);
        assertThat(plan.nodes().get(0).children()).hasSize(1);
    }

    @Test
    void selectionsOfTheSamePathAreMergedAndAWholeRequestWins() {
        assertThat(plan("product", "userId(name)", "userId(email)").nodes().get(0).select())
                .containsExactlyInAnyOrder("name", "email");
        assertThat(plan("product", "userId(name)", "userId").nodes().get(0).select()).isEmpty();
    }

    @Test
    void aSelectionKeepsTheIdAndTheFieldsNestedPathsGoThrough() {
        PopulatePlan plan = plan("product", "userId(name)", "userId.cart.items.productId");

        assertThat(plan.nodes().get(0).keep()).containsExactlyInAnyOrder("name", "id", "cart");
    }

    @Test
    void anUnknownPathIsRejectedListingThePathsTheResourceCanPopulate() {
        assertThatThrownBy(() -> plan("product", "ownerId"))
                .isInstanceOfSatisfying(PopulateException.class, e -> assertThat(e.allowed()).containsExactly(
                        "userId", "userId.cart.items.productId", "userId.cart.items.productId.userId"))
                .hasMessageContaining("product has no path 'ownerId'")
                .hasMessageContaining("userId, userId.cart.items.productId");
    }

    @Test
    void aPathEndingInsideAReferenceFieldIsUnknown() {
        assertThatThrownBy(() -> plan("user", "cart.items"))
                .isInstanceOf(PopulateException.class)
                .hasMessageContaining("user has no path 'cart.items'");
    }

    @Test
    void aPathPastANonReferenceFieldIsUnknown() {
        assertThatThrownBy(() -> plan("product", "userId.name"))
                .isInstanceOf(PopulateException.class)
                .hasMessageContaining("no path 'userId.name'");
    }

    @Test
    void nestingUpToTheMaximumIsAllowedAndDeeperIsRejected() {
        assertThat(plan("product", "userId.cart.items.productId.userId").paths()).hasSize(3);

        assertThatThrownBy(() -> plan("product", "userId.cart.items.productId.userId.cart.items.productId"))
                .isInstanceOf(PopulateException.class)
                .hasMessageContaining("nests 4 references; the most allowed is 3");
    }

    @Test
    void theMaximumDepthIsConfigurable() {
        Planner shallow = new Planner(ShopSchema.resources(), 1);

        assertThatThrownBy(() -> shallow.plan("user", PopulateSpecParser.parse(List.of("cart.items.productId.userId"))))
                .isInstanceOf(PopulateException.class)
                .hasMessageContaining("the most allowed is 1");
    }
}
