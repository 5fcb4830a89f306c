package com.example.shop.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README.md and docs/*.md say only what is true of the repository: no dead link or anchor, no class, package or
 * file named in code style that does not exist ({@link DocumentationCheck} has the rules). Run by every
 * {@code ./mvnw -B verify}, in the first module built, so the docs are checked before anything slow runs.
 */
class DocumentationTest {

    @Test
    void readmeAndDocsNameOnlyWhatExists() {
        Path root = ConfigurationReference.repositoryRoot();
        List<Path> files = markdown(root);
        assertThat(files).as("README.md and the docs").contains(root.resolve("README.md"), root.resolve("docs/api.md"),
                root.resolve("docs/architecture.md"), root.resolve("docs/configuration.md"));

        DocumentationCheck check = new DocumentationCheck(root);

        assertThat(files.stream().flatMap(file -> check.problems(file).stream()).toList()).isEmpty();
    }

    @Test
    void findsDeadLinksMissingHeadingsAndNamesOfWhatDoesNotExist(@TempDir Path repository) throws IOException {
        write(repository.resolve("app/src/main/java/com/example/shop/app/web/OrderController.java"), "class OrderController {}");
        write(repository.resolve("app/src/test/java/com/example/shop/app/OrderFlowIT.java"), "class OrderFlowIT {}");
        write(repository.resolve("docs/guide.md"), """
                # Guide

                ## The order's path (port 8080)

                ```bash
                # not a heading
                ```
                ## The order's path (port 8080)
                """);
        write(repository.resolve("README.md"), """
                # App

                [guide](docs/guide.md), [path](docs/guide.md#the-orders-path-port-8080),
                [again](docs/guide.md#the-orders-path-port-8080-1), [up](#app), [site](https://example.com/x.md),
                `OrderController`, `OrderController#create`, `OrderFlowIT`, `WebClient`, `com.example.shop.app.web`,
                `com.example.shop.app.{web}.OrderController`, `app/src/`, `docs/guide.md`, `e2e/target/apps`,
                `/api/orders`, `application/json`, `ORDER_URL`, `Retry-After`.

                ```bash
                curl [not](a-link.md) `OrderService`
                ```
                [gone](docs/gone.md), [no heading](docs/guide.md#not-a-heading), [out](../elsewhere.md),
                `OrderService`, `OrderController.Missing` is fine, `com.example.shop.app.domain`,
                `com.example.shop.app.{web,domain}`, `com.example.shop.app.web.OrderService`, `common/shop.yml`,
                `app/src/main/resources/`, `[not](a-link.md)`
                """);

        List<String> problems = new DocumentationCheck(repository).problems(repository.resolve("README.md"));

        assertThat(problems).containsExactly(
                "README.md:12: dead link docs/gone.md (no docs/gone.md)",
                "README.md:12: dead link docs/guide.md#not-a-heading (no heading #not-a-heading in docs/guide.md)",
                "README.md:12: dead link ../elsewhere.md (no " + repository.getParent().resolve("elsewhere.md") + ")",
                "README.md:13: no class OrderService in the source tree (`OrderService`; a library's? add it to "
                        + "DocumentationCheck.LIBRARY_NAMES)",
                "README.md:13: no package com.example.shop.app.domain (`com.example.shop.app.domain`)",
                "README.md:14: no package com.example.shop.app.domain (`com.example.shop.app.{web,domain}`)",
                "README.md:14: no class OrderService in com.example.shop.app.web (`com.example.shop.app.web.OrderService`)",
                "README.md:14: no file or folder common/shop.yml",
                "README.md:15: no file or folder app/src/main/resources/");
    }

    @Test
    void anchorsAreSpeltAsGitHubSpellsThem() {
        assertThat(DocumentationCheck.slug("The gateway (port 8080): the public API, with populate"))
                .isEqualTo("the-gateway-port-8080-the-public-api-with-populate");
        assertThat(DocumentationCheck.slug("`Populate-Unresolved` and 504s")).isEqualTo("populate-unresolved-and-504s");
        assertThat(DocumentationCheck.slug("Docker Compose (real MongoDB)")).isEqualTo("docker-compose-real-mongodb");
        assertThat(DocumentationCheck.slug("Identity, access & limits")).isEqualTo("identity-access--limits");
        assertThat(DocumentationCheck.expand("com.example.shop.user.{user,cart}.web"))
                .containsExactly("com.example.shop.user.user.web", "com.example.shop.user.cart.web");
    }

    /**
     * docs/architecture.md's picture of the modules is the poms': a solid arrow for each dependency of one module
     * on another that is not test-scoped, a dotted one for each test-scoped dependency on a module's pom (e2e on the
     * applications it runs), and nothing else; a node for every module of the root pom.
     */
    @Test
    void architecturePictureMatchesThePoms() throws Exception {
        Path root = ConfigurationReference.repositoryRoot();
        ModuleGraph poms = ModuleGraph.ofPoms(root);
        ModuleGraph picture = ModuleGraph.ofMermaid(Files.readString(root.resolve("docs/architecture.md")));

        assertThat(picture.modules()).as("the picture's modules").containsExactlyInAnyOrderElementsOf(poms.modules());
        assertThat(picture.compile()).as("solid arrows: compile dependencies").containsExactlyInAnyOrderElementsOf(poms.compile());
        assertThat(picture.runs()).as("dotted arrows: test dependencies on a module's pom").containsExactlyInAnyOrderElementsOf(poms.runs());
    }

    /** README.md and every Markdown file of docs/. */
    private static List<Path> markdown(Path root) {
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            return Stream.concat(Stream.of(root.resolve("README.md")),
                    docs.filter(file -> file.toString().endsWith(".md")).sorted()).toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
