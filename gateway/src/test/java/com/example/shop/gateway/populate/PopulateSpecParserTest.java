package com.example.shop.gateway.populate;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PopulateSpecParserTest {

    @Test
    void aSinglePathIsItsSegments() {
        assertThat(PopulateSpecParser.parse(List.of("cart.items.productId")))
                .containsExactly(new PopulateSpec(List.of("cart", "items", "productId"), Set.of()));
    }

    @Test
    void commasOutsideParenthesesSeparatePathsAndInsideSeparateFields() {
        assertThat(PopulateSpecParser.parse(List.of("userId(name,email),cart.items.productId")))
                .containsExactly(new PopulateSpec(List.of("userId"), Set.of("name", "email")),
                        new PopulateSpec(List.of("cart", "items", "productId"), Set.of()));
    }

    @Test
    void aRepeatedParameterAddsItsPaths() {
        assertThat(PopulateSpecParser.parse(List.of("userId", "a.b(c)")))
                .extracting(PopulateSpec::toString)
                .containsExactly("userId", "a.b(c)");
    }

    @Test
    void blanksAroundNamesAreIgnored() {
        assertThat(PopulateSpecParser.parse(List.of(" userId ( name , email ) , cart . items ")))
                .containsExactly(new PopulateSpec(List.of("userId"), Set.of("name", "email")),
                        new PopulateSpec(List.of("cart", "items"), Set.of()));
    }

    @Test
    void aNestedPathMaySelectFieldsOfItsLastDocument() {
        assertThat(PopulateSpecParser.parse(List.of("cart.items.productId.userId(email)")))
                .containsExactly(new PopulateSpec(List.of("cart", "items", "productId", "userId"), Set.of("email")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "userId,", ",userId", "a..b", "a.", ".a", "userId()", "userId(name,)",
            "userId(name", "userId)name(", "userId(a(b))", "userId(name).cart", "user-id", "1abc", "a b",
            "userId(na me)", "$where", "products[", "products]", "products[limit=3", "products[limit=3]x",
            "products[limit=3](title)", "products[]", "products[;]", "products[a b]", "products[title=eq.a b]",
            "products[title=eq.a\"b\"\"]", "products[title=\"a\\nb\"]", "products[title=eq.\"a]", "products[title=]",
            "products[title=eq.(a)]", "products[title=eq.a]b]", "products[title=eq.a[b]]", "userId(\"name\")", "\"userId\"",
            "products[\"title\"=x]",
            "products[sort=$x]", "products[limit=3].userId", "products[[limit=3]]", "products(title[limit=3])"})
    void malformedParametersAreRejected(String parameter) {
        assertThatThrownBy(() -> PopulateSpecParser.parse(List.of(parameter)))
                .isInstanceOf(PopulateException.class)
                .hasMessageStartingWith("populate: ");
    }

    @Test
    void anOverlongParameterIsRejectedBeforeParsing() {
        String longParameter = "a,".repeat(PopulateSpecParser.MAX_LENGTH) + "a";
        assertThatThrownBy(() -> PopulateSpecParser.parse(List.of(longParameter)))
                .isInstanceOf(PopulateException.class)
                .hasMessageContaining("longer than");
    }

    @Test
    void aBareOrEmptyParameterIsRejectedNotFailedOn() {
        // ?populate arrives as a null value, ?populate= as an empty one
        for (List<String> given : List.of(Collections.singletonList((String) null), List.of(""), Arrays.asList("userId", null))) {
            assertThatThrownBy(() -> PopulateSpecParser.parse(given))
                    .isInstanceOf(PopulateException.class)
                    .hasMessageStartingWith("populate: is given without a value");
        }
    }

    @Test
    void noParameterValueIsRejected() {
        assertThatThrownBy(() -> PopulateSpecParser.parse(List.of()))
                .isInstanceOf(PopulateException.class)
                .hasMessageContaining("no path");
    }

    @Test
    void optionsInBracketsFollowThePathAndItsSelection() {
        assertThat(PopulateSpecParser.parse(List.of("products(title,price)[sort=-price,title;limit=3],userId")))
                .containsExactly(new PopulateSpec(List.of("products"), Set.of("title", "price"), List.of(
                                new PopulateSpec.Option("sort", "-price,title"), new PopulateSpec.Option("limit", "3"))),
                        new PopulateSpec(List.of("userId"), Set.of()));
        assertThat(PopulateSpecParser.parse(List.of("products[ count ]")).get(0).options())
                .containsExactly(new PopulateSpec.Option("count", null));
    }

    @Test
    void aQuotedValueHoldsWhatWouldEndOrSplitTheSpecAndLosesItsQuotes() {
        assertThat(PopulateSpecParser.parse(List.of("products[title=eq.\"Desk lamp; big [2] (new), \\\"best\\\" \\\\o/\";"
                + "price=gte.100],userId")))
                .containsExactly(new PopulateSpec(List.of("products"), Set.of(), List.of(
                                new PopulateSpec.Option("title", "eq.Desk lamp; big [2] (new), \"best\" \\o/", true),
                                new PopulateSpec.Option("price", "gte.100"))),
                        new PopulateSpec(List.of("userId"), Set.of()));
    }

    @Test
    void quotesMayEncloseAnyPartOfAValueAndPlainValuesTakeLettersOfAnyScript() {
        assertThat(PopulateSpecParser.parse(List.of("products[title=\"eq.a b\"]", "products[title=eq.\"a b\"]",
                "products[title=e\"q.a\"\" b\"]")))
                .extracting(spec -> spec.options().get(0).value()).containsOnly("eq.a b");
        assertThat(PopulateSpecParser.parse(List.of("products[title=prefix.Café_1-2+3]")).get(0).options())
                .containsExactly(new PopulateSpec.Option("title", "prefix.Café_1-2+3"));
    }

    @Test
    void anOptionIsWrittenBackQuotedWhenItMustBe() {
        assertThat(new PopulateSpec.Option("title", "eq.a;b \"c\" \\").toString()).isEqualTo("title=\"eq.a;b \\\"c\\\" \\\\\"");
        assertThat(new PopulateSpec.Option("price", "gte.100").toString()).isEqualTo("price=gte.100");
        PopulateSpec spec = PopulateSpecParser.parse(List.of("products[title=eq.\"a;b]\";limit=3]")).get(0);
        assertThat(PopulateSpecParser.parse(List.of(spec.toString()))).containsExactly(spec);
    }

    @Test
    void optionsMayRepeatTheirNamesForThePlannerToJudge() {
        assertThat(PopulateSpecParser.parse(List.of("products[price=gte.1;price=lt.2;limit=3;limit=4]")).get(0).options())
                .extracting(PopulateSpec.Option::name).containsExactly("price", "price", "limit", "limit");
    }
}
