package com.example.shop.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The malformed forms of a query parameter, each of which the services and the gateway answer with a 400
 * problem naming the parameter: bare ({@code ?size}), empty ({@code ?size=}), a percent-encoding that is not one
 * ({@code %ZZ}, a lone {@code %}), bytes that are no UTF-8 ({@code %C3%28}), a non-ASCII character encoded and
 * raw, a character a URI must encode ({@code |}); a single-valued parameter given twice; an empty entry in a
 * comma-separated list. Sent with {@link RawHttp}, as no URI-based client can send some of them.
 */
public final class MalformedQueries {

    /** How a parameter takes its values. */
    public enum Kind {
        /** One value, given once ({@code page}, {@code limit}). */
        SINGLE,
        /** Comma-separated entries, the parameter repeatable ({@code ids}, {@code userId}). */
        LIST,
        /** Repeatable, each occurrence whole ({@code sort=price,desc&sort=title}, {@code populate}). */
        REPEATABLE
    }

    private MalformedQueries() {
    }

    /**
     * Every malformed form of {@code parameter} on {@code target} ({@code /products} or {@code /products/owned?userId=…}),
     * as arguments (request target, parameter) of a parameterized test; {@code valid} is a value it takes.
     */
    public static Stream<Arguments> of(String target, String parameter, String valid, Kind kind) {
        String at = target + (target.contains("?") ? "&" : "?") + parameter;
        List<String> forms = new ArrayList<>(List.of(at, at + "=", at + "=%ZZ", at + "=" + valid + "%",
                at + "=" + valid + "%C3%28", at + "=" + valid + "%C3%A9", at + "=" + valid + "\u00E9",
                at + "=" + valid + "|"));
        switch (kind) {
            case SINGLE -> forms.add(at + "=" + valid + "&" + parameter + "=" + valid);
            case LIST -> {
                forms.add(at + "=" + valid + ",");
                forms.add(at + "=" + valid + ",," + valid);
                forms.add(at + "=" + valid + "&" + parameter);
            }
            case REPEATABLE -> forms.add(at + "=" + valid + "&" + parameter + "=");
        }
        return forms.stream().map(form -> Arguments.of(form, parameter));
    }

    /** Asserts that {@code response} is a 400 problem that names {@code parameter}. */
    public static void assertRefusedNaming(RawHttp.Response response, String parameter) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.headers()).containsEntry("content-type", "application/problem+json");
        assertThat(response.body()).contains("\"field\":\"" + parameter + "\"");
    }
}
