package com.example.shop.security;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link FirewallCharacters} answers as the regular expressions of Spring Security's
 * {@code StrictServerWebExchangeFirewall} it replaces, for every code point alone and inside ASCII text, lone and
 * reversed surrogates, and {@code null}.
 */
class FirewallCharactersTest {

    static final Pattern NAMES = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");

    static final Pattern HEADER_VALUES = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

    @Test
    void theSameAnswersAsTheFirewallsExpressions() {
        List<String> texts = new ArrayList<>(List.of("", "ids", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln", "a\tb",
                "\uDC00\uD800", "x\uD800", "\uDFFFy"));
        List<String> differing = new ArrayList<>();
        for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
            String alone = new String(Character.toChars(codePoint));
            check(alone, differing);
            check("Bearer a" + alone + "b", differing);
        }
        texts.forEach(text -> check(text, differing));

        assertThat(differing).isEmpty();
        assertThat(FirewallCharacters.assignedAndNotControl(null)).isTrue();
        assertThat(FirewallCharacters.assignedAndNotControlOrTab(null)).isTrue();
        assertThat(FirewallCharacters.assignedAndNotControl("a\tb")).isFalse();
        assertThat(FirewallCharacters.assignedAndNotControlOrTab("a\tb")).isTrue();
        assertThat(FirewallCharacters.assignedAndNotControlOrTab("a\u0085b")).isFalse();
        assertThat(FirewallCharacters.assignedAndNotControl("a\u0378b")).as("unassigned").isFalse();
    }

    private static void check(String text, List<String> differing) {
        if (NAMES.matcher(text).matches() != FirewallCharacters.assignedAndNotControl(text)
                || HEADER_VALUES.matcher(text).matches() != FirewallCharacters.assignedAndNotControlOrTab(text)) {
            differing.add(text.codePoints().mapToObj(Integer::toHexString).toList().toString());
        }
    }
}
