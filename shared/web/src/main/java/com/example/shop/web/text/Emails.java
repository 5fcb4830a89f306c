package com.example.shop.web.text;

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
 * <p>
 * And it must be written in the one form RFC 5322 has for most mailboxes: a dot-atom local part (letters,
 * digits and {@code !#$%&'*+/=?^_`{|}~-}, dots only between them, at most 64 characters) {@code @} a host name
 * (labels of letters, digits and inner hyphens, joined by single dots, the last one starting with a letter).
 * The RFC's other spellings of the same mailbox are refused rather than folded: a quoted local part
 * ({@code "alice.x"@example.com} is {@code alice.x@example.com}; a quoted one that is no dot-atom, such as
 * {@code "a b"@}, is one no ordinary client can send to), comments ({@code alice(work)@example.com}), a domain
 * literal or an address as the domain ({@code alice@[192.0.2.1]}, {@code alice@192.0.2.1}), a trailing dot
 * ({@code example.com.}), and folding white space. {@link PlainText} refuses the control and invisible characters
 * (zero-width space, NUL) with a message of their own.
 */
public final class Emails {

    private static final String ATOM = "[a-z0-9!#$%&'*+/=?^_`{|}~-]+";

    private static final String LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";

    private static final String TOP_LABEL = "[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?";

    /** For {@code @Email(regexp = ...)}, on the canonical form: a dot-atom local part @ a host name. */
    public static final String REGEX = "^(?=[^@]{1,64}@)" + ATOM + "(?:\\." + ATOM + ")*@(?:" + LABEL + "\\.)+" + TOP_LABEL + "$";

    /** No braces in it: Bean Validation would read them as a message parameter. */
    public static final String MESSAGE = "must be a plain email address in ASCII: name@host.example, the name of letters, "
            + "digits, dots between them and the symbols RFC 5322 allows unquoted (no quotes, comments or spaces), the host "
            + "a domain name (no IP address; an internationalized domain in its xn-- form)";

    private Emails() {
    }

    /** The canonical form of {@code value}; null stays null. */
    public static String canonical(String value) {
        return value == null ? null : Normalizer.normalize(value, Normalizer.Form.NFKC).strip().toLowerCase(Locale.ROOT);
    }
}
