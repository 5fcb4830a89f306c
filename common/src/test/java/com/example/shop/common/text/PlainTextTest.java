package com.example.shop.common.text;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PlainTextTest {

    @ParameterizedTest
    @ValueSource(strings = {"Ada Lovelace", "Zoë Ωmega 李", "Lamp \uD83D\uDCA1", "O'Brien-Smith", "\u00A0no-break space"})
    void acceptsWhatPeopleWrite(String text) {
        assertThat(PlainText.Validator.firstProblem(text, false)).isNull();
        assertThat(PlainText.Validator.firstProblem(text, true)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"A\u0000B", "A\u0007", "\u001B[31m", "A\u007F", "A\u0085",
            "A\u200BB", "A\u200CB", "A\u200DB", "\u202Eevil", "\u2066x\u2069", "\uFEFFA", "A\u00ADB", "A\uDB40\uDC01",
            "A\uD800", "\uDC00A", "A\uDE00\uD83D"})
    void refusesControlFormatAndUnpairedSurrogatesEverywhere(String text) {
        assertThat(PlainText.Validator.firstProblem(text, false)).isNotNull();
        assertThat(PlainText.Validator.firstProblem(text, true)).isNotNull();
    }

    @Test
    void lineBreaksAndTabsOnlyInMultilineText() {
        for (String text : new String[] {"one\ntwo", "one\r\ntwo", "a\tb", "one\u2028two"}) {
            assertThat(PlainText.Validator.firstProblem(text, false)).as(text).isNotNull();
            assertThat(PlainText.Validator.firstProblem(text, true)).as(text).isNull();
        }
    }

    @Test
    void namesTheOffendingCharacter() {
        assertThat(PlainText.Validator.firstProblem("a\u200Bb", false)).contains("U+200B");
        assertThat(PlainText.Validator.firstProblem("a\u0000b", false)).contains("U+0000");
        assertThat(PlainText.Validator.firstProblem("a\uD800", false)).contains("unpaired surrogate").contains("U+D800");
    }
}
