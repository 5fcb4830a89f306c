package com.example.shop.gateway.populate;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;

import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.example.shop.gateway.api.ShopApi;
import com.example.shop.web.filter.Filter;
import com.example.shop.web.filter.FilterOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class PlannerTest {

    private static final String ID = "5f1d7f1c2b3a4d5e6f708192";

    private final Planner planner = new Planner(ShopApi.resources(), 3);

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
                        "userId", "userId.cart.items.productId", "userId.cart.items.productId.userId", "userId.products",
                        "userId.products.userId"))
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
        Planner shallow = new Planner(ShopApi.resources(), 1);

        assertThatThrownBy(() -> shallow.plan("user", PopulateSpecParser.parse(List.of("cart.items.productId.userId"))))
                .isInstanceOf(PopulateException.class)
                .hasMessageContaining("the most allowed is 1");
    }

    @Test
    void aUsersProductsAreAListWithTheDefaultOptionsUnlessGivenSome() {
        PlanNode products = plan("user", "products").nodes().get(0);

        assertThat(products.isList()).isTrue();
        assertThat(products.foreignField()).isEqualTo("userId");
        assertThat(products.target()).isEqualTo("product");
        assertThat(products.options()).isEqualTo(ListOptions.DEFAULT);
    }

    @Test
    void optionsAreReadIntoSortLimitAndCount() {
        PlanNode products = plan("user", "products(title,price)[sort=-price,title;limit=3]").nodes().get(0);

        assertThat(products.options()).isEqualTo(new ListOptions(List.of(new ListOptions.SortKey("price", true),
                new ListOptions.SortKey("title", false)), 3, false));
        assertThat(products.select()).containsExactlyInAnyOrder("title", "price");
        assertThat(plan("user", "products[count]").nodes().get(0).options().count()).isTrue();
    }

    @Test
    void optionsOfAListApplyWhereverItStandsAndItsChildrenArePopulatedInside() {
        PlanNode user = plan("product", "userId.products[limit=2]", "userId.products.userId(name)").nodes().get(0);

        PlanNode products = user.children().get(0);
        assertThat(products.path()).isEqualTo("userId.products");
        assertThat(products.options().limit()).isEqualTo(2);
        assertThat(products.children()).extracting(PlanNode::path).containsExactly("userId.products.userId");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "cart.items.productId.userId[limit=2] | limit | 'cart.items.productId.userId' is a single reference",
            "cart.items.productId[sort=price]   | sort  | a single reference",
            "products[top=3]                    | top   | unknown option 'top'",
            "products[limit=0]                  | limit | from 1 to 100",
            "products[limit=101]                | limit | from 1 to 100",
            "products[limit=two]                | limit | got 'two'",
            "products[limit]                    | limit | got ''",
            "products[sort=email]               | sort  | cannot sort product documents on 'email'; sortable: price, title",
            "products[sort=-price,price]        | sort  | names 'price' twice",
            "products[sort]                     | sort  | sort needs fields",
            "products[count=yes]                | count | count takes no value",
            "products[count;limit=3]            | limit | 'limit' makes no sense with count",
            "products(title)[count]             | count | a field selection",
            "products[count],products.userId    | count | nothing can be populated inside it",
            "products[limit=2],products[limit=3] | limit | is given different options",
            "products[limit=3;limit=4]          | limit | option 'limit' given twice",
            "products[skip=-1]                  | skip  | from 0 to 1000",
            "products[skip=1001]                | skip  | from 0 to 1000",
            "products[skip]                     | skip  | got ''",
            "products[skip=1;skip=2]            | skip  | given twice",
            "products[count;skip=0]             | skip  | 'skip' makes no sense with count",
            "products[price=gte.1;count;sort=price] | sort | 'sort' makes no sense with count",
            "products[price=gte.abc]            | price | filter 'price' must be a decimal number",
            "products[price=gte.1;price=gte.2]  | price | filter 'price' gives 'gte' more than once",
            "products[price=prefix.1]           | price | filter 'price' operator 'prefix' does not apply to a decimal number",
            "products[price=100]                | price | filter 'price' expected operator.value",
            "products[price]                    | price | filter 'price' is given without a value",
            "products[title=gt.a]               | title | filter 'title' operator 'gt' does not apply",
            "products[title=like.a]             | title | filter 'title' unknown operator 'like'",
            "products[userId=eq.nope]           | userId | filter 'userId'",
            "products[description=eq.a]         | description | a list takes sort, skip, limit, count, and filters on product fields title, price, userId",
            "`products[title=in.\"a,b\",c]`    | title | 'in' separates its values at every comma",
            "products[price=gte.1],products[price=gte.2] | price | is given different options",
            "cart.items.productId[price=gte.1]  | price | a single reference"})
    void anOptionThatMakesNoSenseIsRefusedNamingIt(String parameter, String option, String message) {
        assertThatThrownBy(() -> plan("user", parameter))
                .isInstanceOfSatisfying(PopulateException.class, e -> assertThat(e.option()).isEqualTo(option))
                .hasMessageStartingWith("populate: ")
                .hasMessageContaining(message);
    }

    @Test
    void filtersAreReadAsTheServicesPagesReadThemAndSkipBesideThem() {
        ListOptions options = plan("user", "products[price=lt.200;sort=-price;title=prefix.\"Desk; lamp\";skip=3;"
                + "price=gte.100;limit=3;userId=" + ID + "]").nodes().get(0).options();

        assertThat(options.filters()).extracting(filter -> filter.field().name(), Filter::operator, Filter::values)
                .as("in the order of the declared fields, then of the operators").containsExactly(
                        tuple("title", FilterOperator.PREFIX, List.of("Desk; lamp")),
                        tuple("price", FilterOperator.GTE, List.of(new BigDecimal("100"))),
                        tuple("price", FilterOperator.LT, List.of(new BigDecimal("200"))),
                        tuple("userId", FilterOperator.IN, List.of(new ObjectId(ID))));
        assertThat(options.skip()).isEqualTo(3);
        assertThat(options.limit()).isEqualTo(3);
        assertThat(options.sort()).containsExactly(new ListOptions.SortKey("price", true));
        assertThat(plan("user", "products[price=gte.100;count]").nodes().get(0).options())
                .satisfies(counted -> {
                    assertThat(counted.count()).isTrue();
                    assertThat(counted.filters()).hasSize(1);
                });
    }

    @Test
    void theSameFiltersInAnotherOrderAreTheSameOptionsAndOthersAreNot() {
        assertThat(plan("user", "products[price=gte.1;title=eq.a]", "products(title)[title=eq.a;price=gte.1]").nodes())
                .hasSize(1);
        assertThat(plan("user", "products[price=gte.1;title=eq.a]").nodes().get(0).options())
                .isEqualTo(plan("user", "products[title=eq.a;price=gte.1]").nodes().get(0).options())
                .isNotEqualTo(plan("user", "products[title=eq.a;price=gte.2]").nodes().get(0).options())
                .isNotEqualTo(plan("user", "products[title=eq.a;price=gte.1;skip=1]").nodes().get(0).options());
    }

    @Test
    void theSameOptionsGivenTwiceAreOne() {
        assertThat(plan("user", "products[limit=2]", "products(title)[limit=2]").nodes()).singleElement()
                .satisfies(node -> assertThat(node.options().limit()).isEqualTo(2));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // a full page of users, each with a full list: the largest single fan-out
            "user    | 100 | products                           | 10000",
            "user    | 100 | products[limit=3]                  | 300",
            "user    | 100 | products[count]                    | 0",
            "user    | 100 | products[count],cart.items.productId | 100",
            // the attack of issue 18: each product carries its owner and all of the owner's products
            "product | 100 | userId.products                    | 10100",
            "product | 99  | userId.products                    | 9999",
            "user    | 1   | products.userId.products           | 10200",
            "user    | 100 | products[limit=100],products.userId.products[count] | 20000",
            "product | 1   | userId(name)                       | 1"})
    void thePlanForeseesTheMostDocumentsItCanBring(String resource, long roots, String populate, long documents) {
        PopulatePlan plan = planner.plan(resource, PopulateSpecParser.parse(List.of(populate)));

        assertThat(plan.documents(roots)).isEqualTo(documents);
    }

    @Test
    void theListPathsAreThoseALimitAppliesTo() {
        assertThat(plan("product", "userId.products[limit=2]").listPaths()).containsExactly("userId.products");
        assertThat(plan("user", "products[count]", "cart.items.productId").listPaths()).isEmpty();
    }
}
