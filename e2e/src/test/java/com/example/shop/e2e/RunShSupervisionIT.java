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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import com.example.shop.testing.FreePorts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ./run.sh}'s supervision, run as a user runs it (the gateway alone: {@code RUN_ONLY=gateway}, on free
 * ports): the gateway's JVM killed with {@code kill -9} is started again at once and is ready again, and the output
 * says which process, how it ended and the restart count; killed again while it has not stayed up a minute, it
 * waits twice as long; stopping ./run.sh (SIGTERM, handled as Ctrl-C is) then stops it and restarts nothing. run.sh
 * uses the jars this build made ({@code NO_BUILD}) and the start-up cache the other classes' processes use
 * ({@link ServiceProcess#prepare()}). Its gateway is its own, in front of no service: it runs beside the other
 * classes ({@code junit-platform.properties}).
 */
@Execution(ExecutionMode.CONCURRENT)
class RunShSupervisionIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path root = Path.of("..").toAbsolutePath().normalize();

    private final Path work = Path.of("target", "run-sh-supervision").toAbsolutePath();

    private final Path output = work.resolve("run.out");

    private final int port = FreePorts.freeInstancePort();

    private Process runSh;

    @AfterEach
    void stopRunSh() {
        if (runSh != null && runSh.isAlive()) {
            runSh.descendants().forEach(ProcessHandle::destroyForcibly);
            runSh.destroyForcibly();
        }
    }

    @Test
    void aGatewayKilledWithKill9IsStartedAgainWithBackoffAndStoppingRunShStopsIt() throws Exception {
        ServiceProcess.prepare();
        Files.createDirectories(work);
        ProcessBuilder builder = new ProcessBuilder("bash", "run.sh").directory(root.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        Map<String, String> env = builder.environment();
        List.of("JAVA_OPTS", "MONGODB_URI", "MANAGEMENT_PORT", "MANAGEMENT_ADDRESS").forEach(env::remove);
        env.putAll(Map.of("RUN_ONLY", "gateway", "NO_BUILD", "true", "GATEWAY_PORT", Integer.toString(port),
                "LOG_DIR", work.resolve("logs").toString(), "SHOP_STORE_EMBEDDED_PATH", work.resolve("data").toString()));
        runSh = builder.start();

        awaitOutput(Duration.ofMinutes(6), "Press Ctrl-C to stop.");
        ProcessHandle first = gatewayJvm();

        first.destroyForcibly();
        awaitOutput(Duration.ofSeconds(30), "gateway was killed by SIGKILL");
        assertThat(output()).contains("starting it again in 1 s (restart 1)");
        awaitOutput(Duration.ofMinutes(2), "gateway is ready again");
        assertThat(ready()).as("readiness of the restarted gateway").isTrue();
        ProcessHandle second = gatewayJvm();
        assertThat(second.pid()).isNotEqualTo(first.pid());

        second.destroyForcibly();
        awaitOutput(Duration.ofSeconds(30), "starting it again in 2 s (restart 2)");
        awaitOutput(Duration.ofMinutes(2), "after restart 2");
        ProcessHandle third = gatewayJvm();

        // SIGTERM, which ./run.sh handles as it handles Ctrl-C (SIGINT: ignored by a shell started in the background,
        // as a build may run this)
        runSh.destroy();
        assertThat(runSh.waitFor(60, TimeUnit.SECONDS)).as("./run.sh stopped").isTrue();
        assertThat(output()).contains("Stopped.").doesNotContain("restart 3");
        await().atMost(Duration.ofSeconds(10)).until(() -> !third.isAlive());
    }

    /** The gateway's JVM under ./run.sh (a supervising shell's child). */
    private ProcessHandle gatewayJvm() {
        return runSh.descendants()
                .filter(process -> process.info().arguments().map(List::of).orElse(List.of()).contains("-jar"))
                .filter(ProcessHandle::isAlive)
                .findFirst().orElseThrow(() -> new AssertionError("no JVM under ./run.sh; its output:\n" + output()));
    }

    private void awaitOutput(Duration atMost, String text) {
        await(text).atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!runSh.isAlive()) {
                throw new AssertionError("./run.sh exited with " + runSh.exitValue() + "; its output:\n" + output());
            }
            return output().contains(text);
        });
    }

    private boolean ready() throws InterruptedException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (port + FreePorts.MANAGEMENT_PORT_OFFSET)
                            + "/actuator/health/readiness")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        }
        catch (IOException e) {
            return false;
        }
    }

    private String output() {
        try {
            return Files.readString(output);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
