package io.callhook.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.launch.ProjectFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code scripts/with-default-sigint.sh}, through which {@code ./callhook demo} starts the demo: a
 * command started in the background by a shell without job control (a script, a CI step, an
 * agent's {@code ./callhook demo &}) inherits SIGINT ignored, so {@code kill -INT} does not stop
 * it; through the script it does. Real processes, no network.
 */
class DefaultSigintScriptTest {

    private static final long SIGINT_BIT = 1L << (2 - 1);

    @Test
    void aBackgroundJobOfAScriptIgnoresSigintWithoutTheScriptAndStopsOnItWithIt() throws Exception {
        Path script = ProjectFiles.locate("scripts/with-default-sigint.sh", "callhook.sigint.script",
                "the launcher's SIGINT reset", "run from the project");

        try (BackgroundJob plain = BackgroundJob.start("sleep 60")) {
            assertThat(plain.ignoredSignals() & SIGINT_BIT).as("SIGINT ignored by a plain background job").isNotZero();
        }
        try (BackgroundJob reset = BackgroundJob.start("\"" + script + "\" sleep 60")) {
            assertThat(reset.ignoredSignals() & SIGINT_BIT).as("SIGINT ignored through the script").isZero();
            new ProcessBuilder("kill", "-INT", Long.toString(reset.pid)).start().waitFor(5, TimeUnit.SECONDS);
            assertThat(reset.awaitGone(5)).as("stopped by kill -INT").isTrue();
        }
    }

    /** {@code bash -c 'command & echo $!; wait'}: a background job of a shell without job control. */
    private record BackgroundJob(Process shell, long pid) implements AutoCloseable {

        static BackgroundJob start(String command) throws IOException {
            Process shell = new ProcessBuilder("bash", "-c", command + " & echo $!; wait").redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(shell.getInputStream(), StandardCharsets.UTF_8));
            long pid = Long.parseLong(out.readLine().strip());
            return new BackgroundJob(shell, pid);
        }

        /** SigIgn of /proc/pid/status, read once the job runs its final program (after perl's exec). */
        long ignoredSignals() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                Path status = Path.of("/proc", Long.toString(pid), "status");
                String text = Files.readString(status);
                if (text.contains("Name:\tsleep")) {
                    for (String line : text.split("\n")) {
                        if (line.startsWith("SigIgn:")) {
                            return Long.parseLong(line.substring("SigIgn:".length()).strip(), 16);
                        }
                    }
                }
                Thread.sleep(20);
            }
            throw new AssertionError("process " + pid + " did not become sleep within 10 s");
        }

        boolean awaitGone(int seconds) throws InterruptedException {
            return shell.waitFor(seconds, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            shell.destroyForcibly();
        }
    }
}
