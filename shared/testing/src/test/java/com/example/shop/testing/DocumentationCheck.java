package com.example.shop.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds what a Markdown file of the repository says that is no longer true of the repository: a dead link, or a
 * class, package or file written in code style that does not exist. The rules, each applied outside fenced code
 * blocks:
 * <ul>
 * <li><b>Links.</b> Every relative link ({@code [text](docs/api.md)}, {@code [text](../BENCHMARKS.md#writes)},
 * {@code [text](#errors)}) names a file or folder that exists, resolved from the linking file's folder; an anchor
 * names a heading of the target Markdown file, spelt as GitHub spells it (lower case, punctuation dropped, spaces
 * as hyphens, {@code -1}, {@code -2} after repeats). Links with a scheme ({@code https:}, {@code mailto:}) are
 * not followed.</li>
 * <li><b>Packages.</b> A code span that is a package of this project ({@code com.example.shop.gateway.populate},
 * with braces for several: {@code com.example.shop.user.{user,cart}}) names a folder under some module's
 * source sets ({@code src/main/java}, {@code src/test/java}, {@code src/bench/java}, ...); one that ends in a class ({@code com.example.shop.remote.RemoteFailures})
 * names that class's file in that package.</li>
 * <li><b>Classes.</b> A code span that is a CamelCase identifier of two humps or more ({@code PopulateEngine},
 * {@code HostileTrafficIT}), alone or followed by a member ({@code ShopSchema.ENDPOINTS}, {@code Caller#id},
 * {@code FreePorts.find()}), names a {@code .java} file of the repository, unless it is one of the library
 * classes listed in {@link #LIBRARY_NAMES}. A nested type is written after its outer class ({@code Outer.Inner}).
 * So a class that was renamed, moved out or deleted fails the check where the docs still name it, and a library's
 * class the docs start naming is added to the list on purpose.</li>
 * <li><b>Paths.</b> A code span that looks like a path of the repository ({@code bench/run.sh},
 * {@code shared/remote/src/main/resources/META-INF/shop-defaults/remote.yml}, {@code docs/}: no leading slash,
 * no scheme, and either its first segment is a top-level folder of the repository or its last segment has an
 * extension or it ends with a slash) exists, relative to the repository's root. Paths through {@code target} or
 * {@code data} (what a build or a run makes) are skipped, and so are spans holding {@code <}, {@code *} or
 * {@code {} (patterns), which the path pattern does not match.</li>
 * </ul>
 */
final class DocumentationCheck {

    /** A source set's Java folder in a path: {@code /src/main/java/}, {@code /src/test/java/}, {@code /src/jmh/java/}, ... */
    private static final Pattern SOURCE_SET = Pattern.compile("/src/[a-z-]+/java/");

    /** Library classes the docs may name in code style; anything else CamelCase must be the project's. */
    static final Set<String> LIBRARY_NAMES = Set.of("WebTestClient", "WebClient", "OutOfMemoryError", "ObjectId",
            "BigDecimal", "ProblemDetail", "HttpExchange", "DefaultValue", "ConfigurationProperties",
            "SpringBootTest", "DuplicateKeyException", "GatewayFilterFactory", "ModifyResponseBody",
            "MongoDBContainer");

    /** Folders that hold no source of the project: build output, local data. */
    private static final Set<String> SKIPPED = Set.of("target", "data", "node_modules");

    private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~)");

    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");

    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1");

    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");

    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

    private static final Pattern PACKAGE = Pattern.compile(
            "^com\\.example\\.shop((?:\\.(?:[a-z][a-z0-9]*|\\{[a-z0-9,]+}))*)(?:\\.([A-Z][A-Za-z0-9]*))?$");

    private static final Pattern CLASS = Pattern.compile(
            "^([A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+)(?:(?:[.#][A-Za-z_][A-Za-z0-9_]*)*(?:\\(\\))?)?$");

    private static final Pattern PATH = Pattern.compile("^(?:\\./)?[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*/?$");

    private final Path root;

    private final Set<String> classes;

    private final Set<String> packages;

    private final Map<Path, Set<String>> anchors = new HashMap<>();

    /** A check of the files under {@code root}, a repository's root. */
    DocumentationCheck(Path root) {
        this.root = root.toAbsolutePath().normalize();
        Set<String> classes = new HashSet<>();
        Set<String> packages = new HashSet<>();
        for (Path source : javaFiles(this.root)) {
            String path = this.root.relativize(source).toString().replace('\\', '/');
            Matcher sourceSet = SOURCE_SET.matcher(path);
            sourceSet.find();
            String qualified = path.substring(sourceSet.end(), path.length() - ".java".length());
            classes.add(qualified.replace('/', '.'));
            classes.add(source.getFileName().toString().replace(".java", ""));
            packages.add(qualified.substring(0, Math.max(0, qualified.lastIndexOf('/'))).replace('/', '.'));
        }
        this.classes = classes;
        this.packages = packages;
    }

    /** What is not true in {@code file}, one problem a line: {@code docs/api.md:12: ...}. */
    List<String> problems(Path file) {
        List<String> problems = new ArrayList<>();
        List<String> lines = lines(file);
        boolean fenced = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (FENCE.matcher(line).find()) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            String where = root.relativize(file.toAbsolutePath().normalize()) + ":" + (i + 1) + ": ";
            Matcher span = CODE_SPAN.matcher(line);
            while (span.find()) {
                String problem = checkName(span.group(2).trim());
                if (problem != null) {
                    problems.add(where + problem);
                }
            }
            Matcher link = LINK.matcher(CODE_SPAN.matcher(line).replaceAll(""));
            while (link.find()) {
                String problem = checkLink(file, link.group(1));
                if (problem != null) {
                    problems.add(where + problem);
                }
            }
        }
        return problems;
    }

    private String checkLink(Path file, String target) {
        if (SCHEME.matcher(target).find()) {
            return null;
        }
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = path.isEmpty() ? file.toAbsolutePath().normalize()
                : file.toAbsolutePath().getParent().resolve(path).normalize();
        if (!resolved.startsWith(root) || !Files.exists(resolved)) {
            return "dead link " + target + " (no " + (resolved.startsWith(root) ? root.relativize(resolved) : resolved) + ")";
        }
        if (anchor != null && resolved.toString().endsWith(".md") && !anchors(resolved).contains(anchor)) {
            return "dead link " + target + " (no heading #" + anchor + " in " + root.relativize(resolved) + ")";
        }
        return null;
    }

    private String checkName(String text) {
        Matcher pkg = PACKAGE.matcher(text);
        if (pkg.matches()) {
            for (String name : expand("com.example.shop" + pkg.group(1))) {
                if (!packages.contains(name)) {
                    return "no package " + name + " (`" + text + "`)";
                }
                if (pkg.group(2) != null && !classes.contains(name + "." + pkg.group(2))) {
                    return "no class " + pkg.group(2) + " in " + name + " (`" + text + "`)";
                }
            }
            return null;
        }
        Matcher type = CLASS.matcher(text);
        if (type.matches()) {
            String name = type.group(1);
            return classes.contains(name) || LIBRARY_NAMES.contains(name) ? null
                    : "no class " + name + " in the source tree (`" + text + "`; a library's? add it to "
                            + "DocumentationCheck.LIBRARY_NAMES)";
        }
        if (looksLikePath(text) && !Files.exists(root.resolve(text))) {
            return "no file or folder " + text;
        }
        return null;
    }

    private boolean looksLikePath(String text) {
        if (!PATH.matcher(text).matches() || !text.contains("/") || text.startsWith("/")
                || Stream.of(text.split("/")).anyMatch(segment -> SKIPPED.contains(segment) || segment.equals(".."))) {
            return false;
        }
        String first = text.startsWith("./") ? text.substring(2).split("/")[0] : text.split("/")[0];
        String last = text.substring(text.lastIndexOf('/') + 1);
        return Files.isDirectory(root.resolve(first)) || last.contains(".") || text.endsWith("/");
    }

    /** {@code a.{b,c}.d} → {@code a.b.d}, {@code a.c.d}. */
    static List<String> expand(String name) {
        int open = name.indexOf('{');
        if (open < 0) {
            return List.of(name);
        }
        int close = name.indexOf('}', open);
        String head = name.substring(0, open);
        String tail = name.substring(close + 1);
        return Stream.of(name.substring(open + 1, close).split(","))
                .flatMap(choice -> expand(head + choice + tail).stream())
                .toList();
    }

    private Set<String> anchors(Path markdown) {
        return anchors.computeIfAbsent(markdown, file -> {
            Set<String> found = new HashSet<>();
            Map<String, Integer> seen = new HashMap<>();
            boolean fenced = false;
            for (String line : lines(file)) {
                if (FENCE.matcher(line).find()) {
                    fenced = !fenced;
                    continue;
                }
                Matcher heading = HEADING.matcher(line);
                if (!fenced && heading.matches()) {
                    String slug = slug(heading.group(2));
                    int repeats = seen.merge(slug, 1, Integer::sum) - 1;
                    found.add(repeats == 0 ? slug : slug + "-" + repeats);
                }
            }
            return found;
        });
    }

    /** A heading's anchor as GitHub makes it: {@code ## The gateway (port 8080)} → {@code the-gateway-port-8080}. */
    static String slug(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)]\\([^)]*\\)", "$1").toLowerCase(Locale.ROOT);
        return text.codePoints()
                .filter(c -> Character.isLetterOrDigit(c) || c == ' ' || c == '-' || c == '_')
                .map(c -> c == ' ' ? '-' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
    }

    /** The {@code .java} files under some module's source sets ({@code src/main/java}, {@code src/test/java}, {@code src/bench/java}, ...), not in a build's output. */
    private static List<Path> javaFiles(Path root) {
        List<Path> found = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path folder, BasicFileAttributes attributes) {
                    String name = folder.getFileName() == null ? "" : folder.getFileName().toString();
                    return !folder.equals(root) && (SKIPPED.contains(name) || name.startsWith(".")) ? FileVisitResult.SKIP_SUBTREE
                            : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    String path = root.relativize(file).toString().replace('\\', '/');
                    if (path.endsWith(".java") && SOURCE_SET.matcher(path).find()) {
                        found.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
