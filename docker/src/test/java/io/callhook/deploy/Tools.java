package io.callhook.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The command-line tools the deployment files are checked with: Debian's {@code docker-compose},
 * {@code promtool} and {@code prometheus}. A missing tool fails the test with what to run, never
 * skips it: a check that silently does not run is worse than none.
 */
final class Tools {

    static final Path DOCKER_COMPOSE = Path.of("/usr/bin/docker-compose");
    static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");

    private Tools() {
    }

    /** The tool's path, or an {@link AssertionError} saying how to install it. */
    static Path require(Path tool, String debianPackage) {
        if (!Files.isExecutable(tool)) {
            throw new AssertionError(tool + " is missing (Debian package " + debianPackage
                    + "): run scripts/install-test-deps.sh, which installs what the tests need");
        }
        return tool;
    }

    /** What a finished command did: its exit code, standard output and standard error. */
    record Run(List<String> command, int exitCode, String output, String errors) {
        boolean succeeded() {
            return exitCode == 0;
        }

        String describe() {
            return String.join(" ", command) + " exited with " + exitCode + ":\n" + errors + output;
        }
    }

    /**
     * Runs a command to its end (at most 2 minutes).
     *
     * @param environment replaces the inherited environment when not null, so a developer's
     *                    variables cannot make a check pass that would fail elsewhere
     */
    static Run run(Path workingDir, Map<String, String> environment, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile());
        if (environment != null) {
            builder.environment().clear();
            builder.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
            builder.environment().putAll(environment);
        }
        Process process = builder.start();
        // Both pipes drained while the child runs: a full one would block it.
        CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()));
        String output = drain(process.getInputStream());
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within 2 minutes");
        }
        return new Run(new ArrayList<>(List.of(command)), process.exitValue(), output, errors.join());
    }

    private static String drain(InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
