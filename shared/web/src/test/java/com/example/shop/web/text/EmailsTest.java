package com.example.shop.web.text;

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

    @Test
    void theDotAtomFormOfCommonAddressesHasTheShape() {
        for (String address : new String[] {"a@b.co", "o'brien@example.ie", "ada+shop@example.com", "x_y-z@a-b.example",
                "!#$%&'*+/=?^_`{|}~-@example.com", "a.b.c@example.com", "ada@mail.xn--p1ai", "ada@1and1.example"}) {
            assertThat(SHAPE.matcher(address).matches()).as(address).isTrue();
        }
    }

    @Test
    void otherSpellingsOfAMailboxAreRefusedNotFolded() {
        for (String address : new String[] {
                // quoted local parts: "alice.x"@ is the mailbox alice.x@, and quoting allows what no dot-atom can hold
                "\"alice.x\"@example.com", "\"alice\"@example.com", "\"a b\"@example.com", "\"a@b\"@example.com",
                "\"a\\\"b\"@example.com", "alice.\"x\"@example.com",
                // comments and folding white space
                "alice(work)@example.com", "(c)alice@example.com", "alice@(c)example.com", "alice@example.com(c)",
                "alice @example.com",
                // domain literals and addresses as the domain
                "alice@[192.0.2.1]", "alice@[ipv6:2001:db8::1]", "alice@192.0.2.1", "alice@[example.com]",
                // dots out of place, a trailing root dot, hyphens at the ends of a label
                ".alice@example.com", "alice.@example.com", "al..ice@example.com", "alice@example.com.",
                "alice@.example.com", "alice@example..com", "alice@-example.com", "alice@example-.com", "alice@localhost",
                // a backslash, other specials
                "ali\\ce@example.com", "a,b@example.com", "a:b@example.com", "a;b@example.com", "a<b>@example.com",
                // longer than a local part may be
                "a".repeat(65) + "@example.com"}) {
            assertThat(SHAPE.matcher(Emails.canonical(address)).matches()).as(address).isFalse();
        }
        assertThat(SHAPE.matcher("a".repeat(64) + "@example.com").matches()).isTrue();
    }
}
