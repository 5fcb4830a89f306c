package com.example.shop.security;

/**
 * The character rules of Spring Security's {@code StrictServerWebExchangeFirewall} for header names, header values
 * and parameter names, as one loop over the code points instead of its regular expressions: every request's headers
 * pass them, and a regular expression walked each character of a bearer token (~600) through a character class
 * intersection (0.7-2.3 % of a process's CPU per request, bench/NOTES.md). The same answer for every string: no
 * unassigned code point and no control character, a tab allowed in header values; {@code null} passes.
 * {@code FirewallCharactersTest} compares them with the firewall's expressions on every code point.
 */
final class FirewallCharacters {

    private FirewallCharacters() {
    }

    /** {@code [\p{IsAssigned}&&[^\p{IsControl}]]*}: header and parameter names. */
    static boolean assignedAndNotControl(String value) {
        return value == null || allowed(value, false);
    }

    /** {@code [\p{IsAssigned}&&[[^\p{IsControl}]||\t]]*}: header values. */
    static boolean assignedAndNotControlOrTab(String value) {
        return value == null || allowed(value, true);
    }

    private static boolean allowed(String value, boolean tab) {
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x7F) { // printable ASCII: assigned, not a control character
                i++;
                continue;
            }
            int codePoint = value.codePointAt(i);
            int type = Character.getType(codePoint);
            if (type == Character.UNASSIGNED || (type == Character.CONTROL && !(tab && codePoint == '\t'))) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }
}
