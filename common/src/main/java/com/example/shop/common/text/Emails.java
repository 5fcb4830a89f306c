package com.example.shop.common.text;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The one spelling of an email address under which it is stored, compared and looked up: Unicode NFKC
 * (fullwidth and other compatibility forms fold to the plain letters: {@code ａｄａ@example.com} is
 * {@code ada@example.com}), then surrounding white space removed, then lower case.
 * <p>
 * After that an address must be ASCII ({@link #REGEX}): a letter from another script that looks like a
 * Latin one (Cyrillic {@code а}, Greek {@code ο}) survives NFKC, so an address holding one could pass for a
 * registered one. An internationalized domain is given in its ASCII ({@code xn--}) form.
 * {@link PlainText} refuses the control and invisible characters (zero-width space, NUL) with a message of
 * their own.
 */
public final class Emails {

    /** For {@code @Email(regexp = ...)}: printable ASCII but {@code @} on both sides of one {@code @}, a dot in the domain. */
    public static final String REGEX = "^[!-?A-~]+@[!-?A-~]+\\.[!-?A-~]+$";

    public static final String MESSAGE = "must be a valid email address in ASCII letters (an internationalized "
            + "domain in its xn-- form)";

    private Emails() {
    }

    /** The canonical form of {@code value}; null stays null. */
    public static String canonical(String value) {
        return value == null ? null : Normalizer.normalize(value, Normalizer.Form.NFKC).strip().toLowerCase(Locale.ROOT);
    }
}
