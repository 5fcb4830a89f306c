package com.example.shop.gateway.routing;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * Whether a path, as a backend would understand it, reaches the services' {@code /internal/**}
 * endpoints. The path is read the way a lenient server might: matrix parameters ({@code ;x}) dropped,
 * percent-escapes decoded, {@code .} and {@code ..} segments resolved, backslashes taken as slashes, case
 * ignored. A path that cannot be decoded counts as internal: refusing it costs nothing.
 */
public final class InternalPaths {

    private InternalPaths() {
    }

    public static boolean isInternal(String rawPath) {
        Deque<String> segments = new ArrayDeque<>();
        for (String raw : rawPath.replace('\\', '/').split("/")) {
            String segment = raw;
            int matrix = segment.indexOf(';');
            if (matrix >= 0) {
                segment = segment.substring(0, matrix);
            }
            try {
                segment = URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
            }
            catch (IllegalArgumentException malformed) {
                return true;
            }
            if (segment.contains("/") || segment.contains("\\") || segment.contains(";")) {
                return true;
            }
            switch (segment) {
                case "", "." -> {
                }
                case ".." -> segments.pollLast();
                default -> segments.addLast(segment.strip().toLowerCase(Locale.ROOT));
            }
        }
        return "internal".equals(segments.peekFirst());
    }
}
