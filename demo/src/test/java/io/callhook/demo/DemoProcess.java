package io.callhook.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code ./callhook demo} as a user runs it: the demo's jar in a JVM of its own, the foreground
 * job of a terminal (a process group of its own, so a Ctrl-C goes to that group), stopped by a
 * signal: Ctrl-C, SIGTERM, or SIGKILL of the demo and all its children at once.
 */
record DemoProcess(Process process, Path output, long startedNanos) {

    static final String RUNNING = "Callhook demo is running";

    /**
     * Starts the demo.
     *
     * @param env    extra environment (ports)
     * @param output where its console output goes (appended)
     */
    static DemoProcess start(Path projectRoot, Map<String, String> env, Path output, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                // Its own process group and session, like a terminal's foreground job.
                "setsid",
                // A JVM started from a background job inherits SIGINT ignored, and cannot undo it:
                // reset it, as ./callhook demo does.
                projectRoot.resolve("scripts/with-default-sigint.sh").toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dcallhook.root=" + projectRoot, "-jar", projectRoot.resolve("demo/target/demo.jar").toString()));
        command.addAll(List.of(args));
        Files.createDirectories(output.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        builder.environment().putAll(env);
        long started = System.nanoTime();
        return new DemoProcess(builder.start(), output, started);
    }

    /**
     * Waits until the demo says it is running.
     *
     * @return how long after the start command it did
     * @throws IllegalStateException if it exits first, or is not running within {@code timeout}
     */
    Duration awaitRunning(Duration timeout, long outputOffset) throws IOException, InterruptedException {
        long deadline = startedNanos + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (outputSince(outputOffset).contains(RUNNING)) {
                return Duration.ofNanos(System.nanoTime() - startedNanos);
            }
            if (!process.isAlive()) {
                // The output's end is in the message: CI keeps the test's report, not the file.
                throw new IllegalStateException("the demo exited with " + process.exitValue() + " before it ran; see " + output
                        + ", which ends:\n" + tail(outputSince(outputOffset), 40));
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the demo was not running within " + timeout + "; see " + output
                + ", which ends:\n" + tail(outputSince(outputOffset), 40));
    }

    private static String tail(String text, int lines) {
        String[] all = text.split("\n", -1);
        return String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }

    /** A terminal's Ctrl-C: SIGINT to the demo's process group. */
    void interruptGroup() throws IOException, InterruptedException {
        signal("INT", "-" + process.pid());
    }

    /** SIGTERM to the demo alone, as {@code kill <pid>} or a service manager does. */
    void terminate() {
        process.destroy();
    }

    /** SIGKILL to the demo and every process it started, at once: nothing runs a shutdown hook. */
    List<ProcessHandle> killAll() {
        List<ProcessHandle> all = everything();
        all.forEach(ProcessHandle::destroyForcibly);
        return all;
    }

    /** The demo and all its descendants (found while the demo lives: killed, its children move to init). */
    List<ProcessHandle> everything() {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(process.toHandle());
        process.toHandle().descendants().forEach(all::add);
        return all;
    }

    /** Waits until every one of {@code processes} has exited; whether they did within {@code timeout}. */
    static boolean awaitExited(List<ProcessHandle> processes, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ProcessHandle handle : processes) {
            long left = deadline - System.nanoTime();
            try {
                handle.onExit().get(Math.max(left, 1), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                return false;
            }
        }
        return true;
    }

    long pid() {
        return process.pid();
    }


    String outputSince(long offset) throws IOException {
        if (!Files.exists(output)) {
            return "";
        }
        byte[] all = Files.readAllBytes(output);
        return offset >= all.length ? "" : new String(all, (int) offset, all.length - (int) offset, StandardCharsets.UTF_8);
    }

    private static void signal(String signal, String target) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, "--", target).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + signal + " -- " + target + " failed");
        }
    }
}
