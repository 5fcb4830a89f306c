package com.example.shop.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.test.web.reactive.server.WebTestClient;

import com.example.shop.security.test.TestSecurity;
import com.example.shop.testing.FreePorts;

import static org.awaitility.Awaitility.await;

/**
 * A real application (a service on the embedded in-memory store, or the gateway), started from the jar
 * this build made as a separate JVM, the way {@code ./run.sh} starts it, on a free port, with its actuator on
 * that port + 1000 (its default, which the gateway's readiness checks assume too); its output goes to
 * {@code target/e2e/<name>-<port>.log}.
 */
final class ServiceProcess {

    /** The gateway's header naming the references a populate could not resolve (PopulateGatewayFilterFactory.UNRESOLVED_HEADER). */
    static final String UNRESOLVED_HEADER = "Populate-Unresolved";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** {@link #runShCommand}'s answers, by module. */
    private static final Map<String, List<String>> COMMANDS = new HashMap<>();

    private static boolean prepared;

    private final String name;

    private final int port;

    private final Path log;

    private final Process process;

    private ServiceProcess(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /** A free port whose management port (+ 1000, where the service serves its actuator) is free too. */
    static int freePort() {
        return FreePorts.freeInstancePort();
    }

    /** The repository's root, where {@code ./run.sh} is (the pom names it: {@code shop.e2e.root}). */
    static Path root() {
        String root = System.getProperty("shop.e2e.root");
        if (root == null || !Files.isRegularFile(Path.of(root, "run.sh"))) {
            throw new IllegalStateException("The end-to-end tests start the services as ./run.sh does, from the "
                    + "repository's root (" + root + "); run them with Maven, whose failsafe configuration names it: "
                    + "./mvnw -B verify, or ./mvnw -B verify -pl e2e -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false");
        }
        return Path.of(root);
    }

    static ServiceProcess start(String module, int port, Map<String, String> env, String... args) {
        // more heap than production's 96 MB for the tests' load; the services start faster with the quick compiler
        // only; the gateway, which carries the tests' whole load (thousands of requests, each with its lookups),
        // runs with the full JIT
        return start(module, port, env, module.equals("gateway") ? List.of("-Xmx512m")
                : List.of("-Xmx384m", "-XX:TieredStopAtLevel=1"), args);
    }

    /**
     * {@code module} started as {@code ./run.sh} starts it ({@link #runShCommand}), with these JVM options added
     * to production's ({@code jvm.options}; none: as in production) and these arguments.
     */
    static ServiceProcess start(String module, int port, Map<String, String> env, List<String> jvmOptions,
            String... args) {
        try {
            Path logs = Files.createDirectories(Path.of("target", "e2e"));
            Path log = logs.resolve(module + "-" + port + ".log");
            List<String> command = new ArrayList<>(runShCommand(module));
            command.addAll(command.indexOf("-jar"), jvmOptions);
            command.addAll(List.of(args));
            // appended to: a process started again on the same port (BackendRestartIT) keeps the first one's log
            ProcessBuilder builder = new ProcessBuilder(command).directory(root().toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().put("SHOP_STORE_EMBEDDED_BACKEND", "memory");
            builder.environment().put("PORT", Integer.toString(port));
            builder.environment().put("MALLOC_ARENA_MAX", "2");
            // the keys of this test JVM (TestSecurity), so that its tokens pass and the services trust each other
            builder.environment().putAll(TestSecurity.environment(module));
            builder.environment().putAll(env);
            Process process = builder.start();
            // should the test JVM die before @AfterAll (an aborted build), do not leave the service running
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            return new ServiceProcess(module, port, log, process);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + module, e);
        }
    }

    /**
     * The command line {@code ./run.sh} starts {@code module} with ({@code ./run.sh command}): the JDK it picks,
     * production's JVM options ({@code jvm.options}), the module's jar extracted, and the class cache of a training
     * run, which starts a JVM two to three times as fast as the plain jar. The training ({@code ./run.sh prepare},
     * the three modules together) runs once per test run; {@code NO_BUILD}: run.sh takes the jars there are, the
     * ones the build running these tests has just packaged (with {@code -am}).
     */
    private static synchronized List<String> runShCommand(String module) {
        prepare();
        return COMMANDS.computeIfAbsent(module, name -> runSh(Duration.ofMinutes(1), "command", name).lines().toList());
    }

    /**
     * {@code ./run.sh prepare}, once per test run: the three modules' extracted jars and class caches, which a
     * {@code ./run.sh} the tests start then uses as they are ({@link RunShSupervisionIT}).
     */
    static synchronized void prepare() {
        if (!prepared) {
            runSh(Duration.ofMinutes(5), "prepare");
            prepared = true;
        }
    }

    /** The standard output of {@code ./run.sh arguments}; its messages go to {@code target/e2e/run-sh.log}. */
    private static String runSh(Duration atMost, String... arguments) {
        List<String> command = new ArrayList<>(List.of("bash", "run.sh"));
        command.addAll(List.of(arguments));
        try {
            Path logs = Files.createDirectories(Path.of("target", "e2e").toAbsolutePath());
            Path output = Files.createTempFile(logs, "run-sh-", ".out");
            ProcessBuilder builder = new ProcessBuilder(command).directory(root().toFile()).redirectOutput(output.toFile())
                    .redirectError(ProcessBuilder.Redirect.appendTo(logs.resolve("run-sh.log").toFile()));
            List.of("JAVA_OPTS", "MONGODB_URI", "RUN_ONLY").forEach(builder.environment()::remove);
            builder.environment().putAll(Map.of("NO_BUILD", "true", "LOG_DIR", logs.toString(),
                    "SHOP_STORE_EMBEDDED_PATH", logs.resolve("run-sh-data").toString()));
            Process process = builder.start();
            if (!process.waitFor(atMost.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("./run.sh " + String.join(" ", arguments) + " failed; its messages are in "
                        + logs.resolve("run-sh.log"));
            }
            return Files.readString(output);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot run ./run.sh " + String.join(" ", arguments), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while ./run.sh " + String.join(" ", arguments) + " ran", e);
        }
    }

    /**
     * The gateway, on a free port, in front of the services at these URLs (each a comma-separated list of
     * instances), with these further properties ({@code --name=value}).
     */
    static ServiceProcess startGateway(String userServiceUrls, String productServiceUrls, String... properties) {
        return start("gateway", freePort(), Map.of(), gatewayArgs(userServiceUrls, productServiceUrls, properties));
    }

    /** The gateway as {@link #startGateway} starts it, with production's JVM options alone, as {@code ./run.sh} starts it. */
    static ServiceProcess startProductionGateway(String userServiceUrls, String productServiceUrls, String... properties) {
        return start("gateway", freePort(), Map.of(), List.of(),
                gatewayArgs(userServiceUrls, productServiceUrls, properties));
    }

    private static String[] gatewayArgs(String userServiceUrls, String productServiceUrls, String... properties) {
        List<String> args = new ArrayList<>(List.of("--shop.remote.user-service=" + userServiceUrls,
                "--shop.remote.product-service=" + productServiceUrls));
        args.addAll(List.of(properties));
        return args.toArray(String[]::new);
    }

    int port() {
        return port;
    }

    /** The process's id, to tell that it is still the same process (nothing restarted it). */
    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Its log so far. */
    String log() {
        try {
            return Files.readString(log);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String baseUrl() {
        return "http://localhost:" + port;
    }

    /** Where its actuator is: health and metrics. */
    String managementUrl() {
        return "http://localhost:" + (port + FreePorts.MANAGEMENT_PORT_OFFSET);
    }

    /**
     * Waits until {@code /actuator/health/readiness} on its management port says UP; fails at once, with its
     * log, if the process dies.
     */
    void awaitReady(Duration atMost) {
        awaitReady(atMost, Duration.ofMillis(200));
    }

    /** {@link #awaitReady(Duration)}, asking every {@code pollInterval}: how closely the caller learns when. */
    void awaitReady(Duration atMost, Duration pollInterval) {
        await(name + " ready").atMost(atMost).pollInterval(pollInterval).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log " + log + ":\n"
                        + logTail());
            }
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                                URI.create(managementUrl() + "/actuator/health/readiness")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                return response.statusCode() == 200 && response.body().contains("\"UP\"");
            }
            catch (IOException notYet) {
                return false;
            }
        });
    }

    /** How many GETs of {@code uri} (a route pattern such as {@code /users/{id}}) this process has answered. */
    long servedGets(String uri) {
        byte[] body = WebTestClient.bindToServer().baseUrl(managementUrl()).build().get()
                .uri(b -> b.path("/actuator/metrics/http.server.requests").queryParam("tag", "{uri}")
                        .queryParam("tag", "method:GET").build("uri:" + uri))
                .exchange().expectBody().returnResult().getResponseBody();
        if (body == null || body.length == 0) {
            return 0; // 404: not served once yet
        }
        for (JsonNode measurement : JSON.readTree(body).get("measurements")) {
            if ("COUNT".equals(measurement.get("statistic").stringValue())) {
                return measurement.get("value").asLong();
            }
        }
        return 0;
    }

    /**
     * The GETs of {@code uri} that {@code request} made this process serve, once it has counted at least
     * {@code expected} of them (a request is counted as it ends, which can be after its caller has the answer).
     */
    long servedGetsDuring(String uri, Runnable request, long expected) {
        long before = servedGets(uri);
        request.run();
        await().atMost(Duration.ofSeconds(5)).until(() -> servedGets(uri) >= before + expected);
        return servedGets(uri) - before;
    }

    /**
     * A graceful stop (SIGTERM), forced after 20 s; an {@link AssertionError} when it was forced, or when a part of
     * the process did not stop in time ("Failed to stop bean" in its log, a shut-down that waited out its time).
     */
    void stop() {
        boolean running = process.isAlive();
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(name + " did not stop within 20 s of SIGTERM; log " + log + ":\n" + logTail());
            }
        }
        catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        if (running && log().contains("Failed to stop bean")) {
            throw new AssertionError(name + " stopped, but not every part of it in time; log " + log + ":\n" + logTail());
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }
        catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }
}
