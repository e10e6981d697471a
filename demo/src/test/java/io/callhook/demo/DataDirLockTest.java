package io.callhook.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One demo per data folder, between real processes: a child JVM takes the lock (as a running
 * demo does); this JVM is refused and told the child's process id; once the child is killed with
 * SIGKILL (no shutdown hook, as a demo killed hard) the lock is free again.
 */
class DataDirLockTest {

    @TempDir
    Path dir;

    @Test
    void aSecondProcessIsRefusedWhileTheFirstLivesAndGetsTheLockOnceItIsKilled() throws Exception {
        Path lockFile = DataDirLock.fileFor(dir.resolve("demo"));
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Holder.class.getName(), lockFile.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).as("the child's report").isEqualTo("locked");

            DataDirLock.Outcome refused = DataDirLock.acquire(lockFile);
            assertThat(refused).isEqualTo(new DataDirLock.HeldBy(Long.toString(holder.pid())));

            holder.destroyForcibly();
            assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();
            DataDirLock.Outcome after = DataDirLock.acquire(lockFile);
            assertThat(after).isInstanceOf(DataDirLock.Acquired.class);
            assertThat(((DataDirLock.Acquired) after).lock().held()).isTrue();
            assertThat(Files.readString(lockFile)).isEqualTo(Long.toString(ProcessHandle.current().pid()));
            // A second try in the same process is refused too (the JVM would otherwise throw).
            assertThat(DataDirLock.acquire(lockFile)).isInstanceOf(DataDirLock.HeldBy.class);
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void theLockFileIsInTheDataFolder() {
        assertThat(DataDirLock.fileFor(dir.resolve("demo"))).isEqualTo(dir.resolve("demo").resolve("demo.lock"));
        assertThat(DataDirLock.fileFor(dir.resolve("demo/./"))).isEqualTo(dir.resolve("demo").resolve("demo.lock"));
    }

    /** Takes the lock, says so, and holds it until killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            DataDirLock.Outcome outcome = DataDirLock.acquire(Path.of(args[0]));
            System.out.println(outcome instanceof DataDirLock.Acquired ? "locked" : "refused: " + outcome);
            System.out.flush();
            Thread.sleep(120_000);
            java.lang.ref.Reference.reachabilityFence(outcome);
        }
    }
}
