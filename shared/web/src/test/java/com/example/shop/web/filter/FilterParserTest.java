package com.example.shop.web.filter;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

import com.example.shop.web.ApiException;
import com.example.shop.web.FieldProblem;
import com.example.shop.web.Paging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class FilterParserTest {

    private static final FilterableFields FIELDS = FilterableFields.of(FilterableField.string("title", 10),
            FilterableField.decimal("price"), FilterableField.id("userId"), FilterableField.id("id", "_id"))
            .refusing("email", "is private");

    private static final String A = "5f1d7f1c2b3a4d5e6f708192";

    private static final String B = "5f1d7f1c2b3a4d5e6f708193";

    /** {@code text} as the server reads a query (decoded): {@code ?a} gives {@code a} a null value, {@code ?a=} an empty one. */
    static MultiValueMap<String, String> query(String text) {
        MultiValueMap<String, String> query = new LinkedMultiValueMap<>();
        if (!text.isEmpty()) {
            for (String parameter : text.split("&")) {
                int equals = parameter.indexOf('=');
                query.add(equals < 0 ? parameter : parameter.substring(0, equals),
                        equals < 0 ? null : parameter.substring(equals + 1));
            }
        }
        return query;
    }

    private static List<Filter> parse(String text) {
        return FIELDS.parse(query(text), Paging.PARAMETERS);
    }

    @Test
    void everyOperatorReadsItsValueAsTheFieldsType() {
        assertThat(parse("price=eq.19.90&title=prefix.La mp&userId=eq." + A))
                .extracting(filter -> filter.field().name(), Filter::operator, Filter::values)
                .containsExactly(
                        tuple("price", FilterOperator.EQ, List.of(new BigDecimal("19.90"))),
                        tuple("title", FilterOperator.PREFIX, List.of("La mp")),
                        tuple("userId", FilterOperator.EQ, List.of(new ObjectId(A))));
        assertThat(parse("price=gt.1&price=gte.-2&price=lt.3.5&price=lte.0")).extracting(Filter::operator, Filter::value)
                .containsExactly(tuple(FilterOperator.GT, new BigDecimal("1")),
                        tuple(FilterOperator.GTE, new BigDecimal("-2")),
                        tuple(FilterOperator.LT, new BigDecimal("3.5")),
                        tuple(FilterOperator.LTE, new BigDecimal("0")));
        assertThat(parse("title=eq.a.b.c").get(0).value()).as("only the first dot ends the operator").isEqualTo("a.b.c");
    }

    @Test
    void aFilterWrittenBackReadsAsTheSameFilter() {
        List<Filter> filters = parse("price=gte.19.90&price=lt.-1&title=prefix.a;b]&title=in.x,y&userId=" + A + "," + B);
        MultiValueMap<String, String> written = new LinkedMultiValueMap<>();
        filters.forEach(filter -> written.add(filter.field().name(), filter.written()));
        assertThat(written.get("price")).containsExactly("gte.19.90", "lt.-1");
        assertThat(written.get("userId")).containsExactly("in." + A + "," + B);
        assertThat(FIELDS.parse(written, Set.of())).isEqualTo(filters);
    }

    @Test
    void inTakesCommaSeparatedValuesDuplicatesMergedAndStringsAsGiven() {
        assertThat(parse("userId=in." + A + ", " + B + "," + A).get(0).values())
                .containsExactly(new ObjectId(A), new ObjectId(B));
        assertThat(parse("title=in. Lamp,Desk").get(0).values()).containsExactly(" Lamp", "Desk");
        assertThat(parse("price=in.1,2.50").get(0).values()).containsExactly(new BigDecimal("1"), new BigDecimal("2.50"));
        assertThat(parse("id=in." + A).get(0).field().storedAs()).isEqualTo("_id");
    }

    @Test
    void anIdFieldsBareIdsAreItsInRepeatableAsBefore() {
        assertThat(parse("userId=" + A + "&userId=" + B)).singleElement().satisfies(filter -> {
            assertThat(filter.operator()).isEqualTo(FilterOperator.IN);
            assertThat(filter.values()).containsExactly(new ObjectId(A), new ObjectId(B));
        });
    }

    @Test
    void thePagesOwnParametersAreNoFilters() {
        assertThat(parse("page=1&size=5&sort=price,desc")).isEmpty();
        assertThat(parse("")).isEmpty();
    }

    @Test
    void inTakesAtMostTheBoundCountedAsGiven() {
        assertThat(parse("price=in." + String.join(",", Collections.nCopies(FilterParser.MAX_VALUES, "1"))).get(0).values())
                .hasSize(1);
        assertRefused("price=in." + String.join(",", Collections.nCopies(FilterParser.MAX_VALUES + 1, "1")), "price",
                "at most 100 values");
        assertRefused("userId=" + String.join(",", Collections.nCopies(FilterParser.MAX_IDS + 1, A)), "userId",
                "at most 1000 values");
    }

    /** An id field takes as many ids as the gateway's filters through a reference carry: 1,000, not 100. */
    @Test
    void anIdFieldTakesUpToAThousandIds() {
        List<String> ids = java.util.stream.Stream.generate(() -> new ObjectId().toHexString())
                .limit(FilterParser.MAX_IDS).toList();
        assertThat(parse("userId=in." + String.join(",", ids)).get(0).values()).hasSize(FilterParser.MAX_IDS);
        assertThat(parse("userId=" + String.join(",", ids)).get(0).values()).hasSize(FilterParser.MAX_IDS);
        assertRefused("userId=in." + String.join(",", ids) + "," + A, "userId", "at most 1000 values, not 1001");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            // unknown, or refused by name
            "color=eq.red            | color  | is neither a parameter of this list nor a field it can be filtered on; filterable: title, price, userId, id",
            "email=eq.a@b.example    | email  | is private; filterable:",
            // no operator, unknown operator, operator not for the type
            "price=100               | price  | expected operator.value, such as price=eq.",
            "title=Lamp              | title  | expected operator.value",
            "price=like.1            | price  | unknown operator 'like'; operators on a decimal number: eq, in, gt, gte, lt, lte",
            "price=GTE.1             | price  | unknown operator 'GTE'",
            "price=.1                | price  | unknown operator ''",
            "price=prefix.1          | price  | operator 'prefix' does not apply to a decimal number; operators: eq, in, gt, gte, lt, lte",
            "userId=gt.5f1d7f1c2b3a4d5e6f708192 | userId | operator 'gt' does not apply to an id; operators: eq, in",
            "title=gte.A             | title  | operator 'gte' does not apply to a string; operators: eq, in, prefix",
            // malformed values
            "price=gte.NaN           | price  | must be a decimal number in plain digits",
            "price=gte.Infinity      | price  | must be a decimal number",
            "price=gte.0x10          | price  | must be a decimal number",
            "price=gte.1e3           | price  | must be a decimal number",
            "price=gte.+1            | price  | must be a decimal number",
            "price=gte.1.            | price  | must be a decimal number",
            "price=gte.１            | price  | must be a decimal number",
            "price=gte.1234567890123456789012345678901 | price | at most 30 characters",
            "price=gte.              | price  | has no value after its operator",
            "userId=eq.5F1D7F1C2B3A4D5E6F708192 | userId | must be a 24-digit id in lower-case hexadecimal",
            "userId=nope             | userId | must be a 24-digit id",
            "id=eq.x                 | id     | must be a 24-digit id",
            "title=eq.12345678901    | title  | must be 1 to 10 characters",
            "title=prefix.           | title  | has no value after its operator",
            // in: empty, empty entries
            "price=in.               | price  | 'in' needs at least one value",
            "price=in.1,,2           | price  | has an empty entry",
            "title=in.a,             | title  | has an empty entry",
            "userId=5f1d7f1c2b3a4d5e6f708192, | userId | has an empty entry",
            // bare, empty, an operator twice
            "price                   | price  | is given without a value",
            "price=                  | price  | is given without a value",
            "price=gte.1&price=gte.2 | price  | gives 'gte' more than once",
            "userId=in.5f1d7f1c2b3a4d5e6f708192&userId=5f1d7f1c2b3a4d5e6f708193 | userId | gives 'in' more than once"})
    void refusesWithTheParameterNamed(String given, String field, String message) {
        assertRefused(given, field, message);
    }

    @Test
    void everyRefusedParameterIsNamedInOneProblem() {
        assertThatThrownBy(() -> parse("color=eq.red&price=gte.x&title=eq.ok&size=5"))
                .isInstanceOfSatisfying(ApiException.class, refused -> {
                    assertThat(refused.getStatusCode().value()).isEqualTo(400);
                    assertThat(refused.errors()).extracting(FieldProblem::field).containsExactly("color", "price");
                });
    }

    @Test
    void eachOperatorAppliesToItsTypesOnly() {
        assertThat(FilterType.ID.operators()).containsExactly(FilterOperator.EQ, FilterOperator.IN);
        assertThat(FilterType.STRING.operators()).containsExactly(FilterOperator.EQ, FilterOperator.IN, FilterOperator.PREFIX);
        assertThat(FilterType.DECIMAL.operators()).doesNotContain(FilterOperator.PREFIX);
    }

    private static void assertRefused(String given, String field, String message) {
        assertThatThrownBy(() -> parse(given)).isInstanceOfSatisfying(ApiException.class, refused ->
                assertThat(refused.errors()).singleElement().satisfies(problem -> {
                    assertThat(problem.field()).isEqualTo(field);
                    assertThat(problem.message()).contains(message);
                }));
    }

    @Test
    void aFieldIsDeclaredOnceAndNeverBothFilterableAndRefused() {
        assertThatThrownBy(() -> FilterableFields.of(FilterableField.decimal("price"), FilterableField.decimal("price")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FIELDS.refusing("price", "no")).isInstanceOf(IllegalArgumentException.class);
        assertThat(FIELDS.names()).containsExactly("title", "price", "userId", "id");
        assertThat(Set.copyOf(FIELDS.names())).hasSize(4);
    }
}
