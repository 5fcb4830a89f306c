package com.example.shop.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README's walk-through: its one code block marked {@code ```bash walkthrough}, run as written with
 * bash against a gateway ({@code GATEWAY}), stopping at the first command that fails ({@code -euo pipefail}).
 */
final class ReadmeWalkthrough {

    private static final Pattern BLOCK = Pattern.compile("(?ms)^```bash walkthrough\\n(.*?)^```$");

    private ReadmeWalkthrough() {
    }

    /** What a run printed, and how it ended. */
    record Run(int exitCode, String output) {

        List<String> lines() {
            return output.lines().toList();
        }
    }

    /** The block's text, from the README the pom names ({@code shop.e2e.readme}). */
    static String script() {
        Path readme = Path.of(System.getProperty("shop.e2e.readme", "../README.md"));
        try {
            Matcher block = BLOCK.matcher(Files.readString(readme));
            if (!block.find()) {
                throw new IllegalStateException(readme + " has no ```bash walkthrough block");
            }
            return block.group(1);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Run runAgainst(String gatewayUrl) {
        try {
            Path folder = Files.createDirectories(Path.of("target", "e2e"));
            Path script = Files.writeString(folder.resolve("walkthrough.sh"), script());
            Path output = folder.resolve("walkthrough.log");
            ProcessBuilder builder = new ProcessBuilder("bash", "-euo", "pipefail", script.toString())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().put("GATEWAY", gatewayUrl);
            Process process = builder.start();
            boolean ended = process.waitFor(60, TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            if (!ended) {
                throw new IllegalStateException("the walk-through did not end within 60 s:\n" + printed);
            }
            return new Run(process.exitValue(), printed);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
