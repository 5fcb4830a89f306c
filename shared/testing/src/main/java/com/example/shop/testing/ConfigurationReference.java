package com.example.shop.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the configuration reference true: the table of {@code docs/configuration.md}. Each default is written
 * once: a {@code shop.*} setting's in its {@code @ConfigurationProperties} record's {@code @DefaultValue}, and its
 * environment variable is Spring's relaxed name of the property ({@code shop.cleanup.lease}:
 * {@code SHOP_CLEANUP_LEASE}); a setting without a record default (a key, a remote service's URL, Spring's own)
 * takes the short variable that the repo's YAML maps to it ({@code ${NAME}} or {@code ${NAME:default}}), and its
 * default, if any, is that YAML's.
 * <p>
 * {@link #check(String)} compares the table (one property a row: Variable, Property, Default, Meaning) with
 * the records found under a package (a service passes {@code com.example.shop}: its own records and the shared
 * modules' on its classpath) and with every module's {@code application.yml} and each shared module's
 * {@code META-INF/shop-defaults/*.yml}, read from the repository's files.
 */
public final class ConfigurationReference {

    /** The reference, relative to the repository's root. */
    public static final String FILE = "docs/configuration.md";

    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    private static final Pattern PLACEHOLDER = Pattern.compile("^\\$\\{([A-Z][A-Z0-9_]*)(?::(.*))?}$");

    private ConfigurationReference() {
    }

    /** One row of the table. */
    public record Row(String variable, String property, String defaultValue) {
    }

    /** A setting of a record: its property name and its {@code @DefaultValue} (null when it has none). */
    public record Setting(String property, String defaultValue, boolean map) {
    }

    /** Checks the table against the records under {@code basePackage} and the repository's YAML files. */
    public static void check(String basePackage) {
        Path root = repositoryRoot();
        List<Row> rows = rows(root.resolve(FILE));
        Map<String, Map<String, String>> yaml = yaml(root);
        List<Setting> settings = settings(basePackage);
        List<String> problems = new ArrayList<>();

        for (Setting setting : settings) {
            List<Row> documented = rows.stream()
                    .filter(row -> setting.map() ? row.property().startsWith(setting.property() + ".")
                            : row.property().equals(setting.property()))
                    .toList();
            if (documented.isEmpty()) {
                problems.add(setting.property() + ": no row in the configuration reference (" + FILE + ")");
            }
            yaml.forEach((file, values) -> values.keySet().stream()
                    .filter(key -> key.equals(setting.property()) && setting.defaultValue() != null)
                    .forEach(key -> problems.add(setting.property() + ": set in " + file + " as well as by "
                            + "its record's @DefaultValue (" + setting.defaultValue() + "); write a default once")));
            for (Row row : documented) {
                if (setting.defaultValue() != null) {
                    if (!relaxedName(row.property()).equals(row.variable())) {
                        problems.add(row.property() + ": variable should be " + relaxedName(row.property())
                                + ", the reference says " + (row.variable() == null ? "none" : row.variable()));
                    }
                    if (!setting.defaultValue().equals(firstWord(row.defaultValue()))) {
                        problems.add(row.property() + ": default is " + setting.defaultValue() + " (@DefaultValue), the reference says "
                                + row.defaultValue());
                    }
                }
                else if (!(setting.map() && row.variable() == null)) {
                    // a map's entries without a variable (a declaration such as shop.api.resources) are set in YAML only
                    checkMapped(row, yaml, problems);
                }
            }
        }
        List<String> parents = settings.stream().filter(setting -> !setting.map())
                .map(setting -> parent(setting.property())).distinct().toList();
        for (Row row : rows) {
            boolean owned = parents.contains(parent(row.property()));
            boolean known = settings.stream().anyMatch(setting -> setting.map()
                    ? row.property().startsWith(setting.property() + ".") : row.property().equals(setting.property()));
            if (owned && !known) {
                problems.add(row.property() + ": in the reference, but in no @ConfigurationProperties record");
            }
            if (!row.property().startsWith("shop.") && row.variable() != null
                    && !row.variable().equals(relaxedName(row.property()))) {
                checkMapped(row, yaml, problems);
            }
        }
        yaml.forEach((file, values) -> values.forEach((property, value) -> {
            Matcher placeholder = PLACEHOLDER.matcher(value);
            if (placeholder.matches() && rows.stream().noneMatch(row -> row.property().equals(property)
                    && placeholder.group(1).equals(row.variable()))) {
                problems.add(property + ": " + file + " maps " + placeholder.group(1) + ", which the reference's table does not name");
            }
        }));
        assertThat(problems).as(FILE + " against the records and YAML").isEmpty();
    }

    /** A row whose setting has no record default: its variable must be mapped in YAML, and its default be YAML's. */
    private static void checkMapped(Row row, Map<String, Map<String, String>> yaml, List<String> problems) {
        List<Matcher> mappings = yaml.values().stream()
                .map(values -> values.get(row.property()))
                .filter(value -> value != null)
                .map(PLACEHOLDER::matcher)
                .filter(Matcher::matches)
                .filter(placeholder -> placeholder.group(1).equals(row.variable()))
                .toList();
        if (mappings.isEmpty()) {
            problems.add(row.property() + ": the reference names " + row.variable()
                    + ", which is neither its relaxed name nor mapped to it in any YAML file");
            return;
        }
        if (!row.property().startsWith("shop.")) {
            return; // Spring's own, whose defaults may differ per module (server.port)
        }
        for (Matcher mapping : mappings) {
            String fallback = mapping.group(2);
            if (fallback != null && !fallback.isEmpty() && !fallback.equals(firstWord(row.defaultValue()))) {
                problems.add(row.property() + ": default is " + fallback + " (YAML), the reference says " + row.defaultValue());
            }
        }
    }

    /** The rows of every table of {@code reference} whose header starts with {@code | Variable}. */
    public static List<Row> rows(Path reference) {
        List<Row> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : lines(reference)) {
            if (!line.startsWith("|")) {
                inTable = false;
                continue;
            }
            if (line.startsWith("| Variable")) {
                inTable = true;
                continue;
            }
            if (!inTable || line.startsWith("|---")) {
                continue;
            }
            String[] cells = line.split("\\|", -1);
            Matcher property = CODE.matcher(cells[2]);
            assertThat(property.find()).as("a property in " + line).isTrue();
            Matcher variable = CODE.matcher(cells[1]);
            rows.add(new Row(variable.find() ? variable.group(1) : null, property.group(1), cells[3].trim()));
        }
        assertThat(rows).as("rows of the configuration table in " + reference).isNotEmpty();
        return rows;
    }

    /** Every setting of the {@code @ConfigurationProperties} records under a package. */
    public static List<Setting> settings(String basePackage) {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        List<Setting> settings = new ArrayList<>();
        scanner.findCandidateComponents(basePackage).forEach(candidate -> {
            Class<?> type = ClassUtils.resolveClassName(candidate.getBeanClassName(), null);
            ConfigurationProperties annotation = AnnotationUtils.findAnnotation(type, ConfigurationProperties.class);
            assertThat(type.isRecord()).as(type + " is a record").isTrue();
            collect(annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix(), type, settings);
        });
        assertThat(settings).as("settings of the records under " + basePackage).isNotEmpty();
        return settings;
    }

    private static void collect(String prefix, Class<?> type, List<Setting> settings) {
        RecordComponent[] components = type.getRecordComponents();
        Parameter[] parameters = canonicalConstructor(type, components).getParameters();
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            String property = prefix + "." + kebab(component.getName());
            Class<?> valueType = component.getType();
            // @DefaultValue is a parameter annotation: javac puts it on the canonical constructor's parameter
            DefaultValue defaultValue = parameters[i].getAnnotation(DefaultValue.class);
            if (valueType.isRecord()) {
                collect(property, valueType, settings);
            }
            else {
                boolean map = Map.class.isAssignableFrom(valueType);
                String value = defaultValue == null || defaultValue.value().length == 0 || map ? null
                        : String.join(",", defaultValue.value());
                settings.add(new Setting(property, value, map));
            }
        }
    }

    private static Constructor<?> canonicalConstructor(Class<?> type, RecordComponent[] components) {
        try {
            return type.getDeclaredConstructor(Stream.of(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
        }
        catch (NoSuchMethodException e) {
            throw new IllegalStateException(type + " has no canonical constructor", e);
        }
    }

    /** Property → raw value (placeholders unresolved) of each YAML file of the repository's main code. */
    private static Map<String, Map<String, String>> yaml(Path root) {
        Map<String, Map<String, String>> files = new LinkedHashMap<>();
        try (Stream<Path> modules = Files.list(root)) {
            Stream.concat(modules.map(module -> module.resolve("src/main/resources/application.yml")),
                            sharedDefaults(root))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .forEach(file -> files.put(root.relativize(file).toString(), flatten(file)));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** Each shared module's {@code META-INF/shop-defaults/*.yml} (see shop-operations' SharedDefaults). */
    private static Stream<Path> sharedDefaults(Path root) {
        try (Stream<Path> modules = Files.list(root.resolve("shared"))) {
            return modules.map(module -> module.resolve("src/main/resources/META-INF/shop-defaults"))
                    .filter(Files::isDirectory)
                    .flatMap(ConfigurationReference::files)
                    .toList().stream();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<Path> files(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.toString().endsWith(".yml")).toList().stream();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> flatten(Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        try {
            new YamlPropertySourceLoader().load(file.toString(), new FileSystemResource(file)).forEach(source -> {
                EnumerablePropertySource<?> enumerable = (EnumerablePropertySource<?>) source;
                for (String name : enumerable.getPropertyNames()) {
                    values.put(name, String.valueOf(enumerable.getProperty(name)));
                }
            });
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return values;
    }

    /** The folder with {@link #FILE}, from the module a test runs in upwards. */
    public static Path repositoryRoot() {
        Path folder = Path.of("").toAbsolutePath();
        while (folder != null && !Files.isRegularFile(folder.resolve(FILE))) {
            folder = folder.getParent();
        }
        return Optional.ofNullable(folder).orElseThrow(() -> new AssertionError("no " + FILE + " above " + Path.of("").toAbsolutePath()));
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The environment variable Spring's relaxed binding reads for a property: shop.cleanup.lease → SHOP_CLEANUP_LEASE. */
    static String relaxedName(String property) {
        return property.replace('.', '_').replace('-', '_').toUpperCase();
    }

    private static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    private static String parent(String property) {
        int dot = property.lastIndexOf('.');
        return dot < 0 ? "" : property.substring(0, dot);
    }

    /** The value a Default cell starts with: {@code `0`: the number of processors} → 0. */
    private static String firstWord(String cell) {
        String plain = cell.replace("`", "").trim();
        String word = plain.split("\\s+")[0];
        return word.replaceAll("[,;:]$", "");
    }
}
