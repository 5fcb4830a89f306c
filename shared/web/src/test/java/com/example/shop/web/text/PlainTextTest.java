package com.example.shop.web.text;

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

    @ParameterizedTest
    @ValueSource(strings = {"\u3164", "\u3164\u3164\u3164", "\u2800", "\u2800 \u2800", "\u115F\u1160", "\uFFA0",
            "\u3000", "\u00A0", "\u2007\u202F", "\u034F", "\uFE0F", "\u0301\u0301", "\u3164\n\u2800",
            "\uDB40\uDD00"})
    void refusesTextWithNothingVisible(String text) {
        assertThat(PlainText.Validator.firstProblem(text, true)).isEqualTo(PlainText.Validator.NOTHING_VISIBLE);
        assertThat(PlainText.Validator.firstProblem(text, false)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u3164Ada", "Ada\u2800", "\u2764\uFE0F", "e\u0301", "\u115F\u1161", "\u3000Ada\u3000"})
    void blankLookingCharactersAreFineNextToVisibleOnes(String text) {
        assertThat(PlainText.Validator.firstProblem(text, false)).isNull();
    }

    @ParameterizedTest
    @ValueSource(ints = {0xFFFF, 0xFFFE, 0xFDD0, 0xFDEF, 0x1FFFE, 0x1FFFF, 0x10FFFF, 0xEFFFE})
    void refusesNoncharactersEverywhere(int noncharacter) {
        String text = "Ada" + new String(Character.toChars(noncharacter));
        String hex = String.format("U+%04X", noncharacter);
        assertThat(PlainText.Validator.firstProblem(text, false)).contains("noncharacter").contains(hex);
        assertThat(PlainText.Validator.firstProblem(text, true)).contains("noncharacter").contains(hex);
        assertThat(PlainText.Validator.isNoncharacter(0xFDCF)).isFalse();
        assertThat(PlainText.Validator.isNoncharacter(0xFFFD)).isFalse();
    }

    @Test
    void namesTheOffendingCharacter() {
        assertThat(PlainText.Validator.firstProblem("a\u200Bb", false)).contains("U+200B");
        assertThat(PlainText.Validator.firstProblem("a\u0000b", false)).contains("U+0000");
        assertThat(PlainText.Validator.firstProblem("a\uD800", false)).contains("unpaired surrogate").contains("U+D800");
    }
}
