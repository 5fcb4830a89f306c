package com.example.shop.common.text;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EmailsTest {

    private static final Pattern SHAPE = Pattern.compile(Emails.REGEX);

    @Test
    void compatibilityFormsCaseAndSurroundingSpaceFoldToOneSpelling() {
        assertThat(Emails.canonical(" Ada@Example.COM ")).isEqualTo("ada@example.com");
        assertThat(Emails.canonical("\uFF41\uFF44\uFF41@\uFF45\uFF58\uFF41\uFF4D\uFF50\uFF4C\uFF45.com")).isEqualTo("ada@example.com");
        assertThat(Emails.canonical("\uFF21DA@EXAMPLE.COM")).isEqualTo("ada@example.com");
        assertThat(Emails.canonical("\u3000ada@example.com\u00A0")).isEqualTo("ada@example.com");
        assertThat(Emails.canonical(null)).isNull();
    }

    @Test
    void onlyAsciiAddressesHaveTheShape() {
        assertThat(SHAPE.matcher("ada.lovelace+shop@mail.example.co.uk").matches()).isTrue();
        assertThat(SHAPE.matcher("ada@xn--bcher-kva.example").matches()).isTrue();
        // homoglyphs survive NFKC: Cyrillic a, Greek omicron
        assertThat(SHAPE.matcher(Emails.canonical("\u0430da@example.com")).matches()).isFalse();
        assertThat(SHAPE.matcher(Emails.canonical("ada@ex\u03BFmple.com")).matches()).isFalse();
        assertThat(SHAPE.matcher(Emails.canonical("ada\u200B@example.com")).matches()).isFalse();
        assertThat(SHAPE.matcher("ada@b\u00FCcher.example").matches()).isFalse();
        assertThat(SHAPE.matcher("a da@example.com").matches()).isFalse();
        assertThat(SHAPE.matcher("ada@@example.com").matches()).isFalse();
    }
}
