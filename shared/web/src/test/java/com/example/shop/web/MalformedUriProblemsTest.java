package com.example.shop.web;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class MalformedUriProblemsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ' ', value = {
            "/products?size=%ZZ size", "/products?page=1&size=%Z size", "/products?page=1&size=% size",
            "/products?%ZZ=1 %ZZ", "/products?sort=a|b sort", "/products?ids=a^b ids", "/api/products?populate=%zz populate",
            "/products?userId=\"x\" userId", "/products?a%20b=%ZZ 'a b'"})
    void namesTheFirstParameterTheUriGrammarRefuses(String target, String parameter) {
        ApiException problem = MalformedUriProblems.describe(target);
        assertThat(problem.status().value()).isEqualTo(400);
        assertThat(problem.errors()).extracting(FieldProblem::field).containsExactly(parameter);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/products", "/products?size=5", "/products?ids=%C3%28", "/products?a=%e2%80%ae&b", "/p?x=ü"})
    void aTargetThatReadsIsNoProblem(String target) {
        assertThat(MalformedUriProblems.describe(target)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/products/%ZZ", "/pro|ducts?size=5"})
    void aBadPathIsNamedAsThePath(String target) {
        ApiException problem = MalformedUriProblems.describe(target);
        assertThat(problem.errors()).isEmpty();
        assertThat(problem.getBody().getDetail()).startsWith("The request's path ");
    }
}
