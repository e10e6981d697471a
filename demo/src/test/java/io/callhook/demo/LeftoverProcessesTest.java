package io.callhook.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeftoverProcessesTest {

    @TempDir
    Path dir;

    @Test
    void aRecordedChildStillRunningIsStoppedAndTheRecordForgotten() throws Exception {
        Process child = new ProcessBuilder("sleep", "60").start();
        try {
            LeftoverProcesses leftovers = new LeftoverProcesses(dir.resolve("processes"));
            leftovers.record("sleeper", child.toHandle());

            assertThat(new LeftoverProcesses(dir.resolve("processes")).stopLeftovers()).isEqualTo(1);

            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(dir.resolve("processes")).doesNotExist();
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void aProcessThatOnlyHasTheRecordedIdIsLeftAlone() throws Exception {
        Process other = new ProcessBuilder("sleep", "60").start();
        try {
            // Same id, another start time: the id was reused by a process that is none of ours.
            Files.writeString(dir.resolve("processes"), "kafka " + other.pid() + " 2001-01-01T00:00:00Z\n");

            assertThat(new LeftoverProcesses(dir.resolve("processes")).stopLeftovers()).isZero();

            assertThat(other.isAlive()).isTrue();
        } finally {
            other.destroyForcibly();
        }
    }

    @Test
    void withoutARecordThereIsNothingToStop() throws Exception {
        assertThat(new LeftoverProcesses(dir.resolve("processes")).stopLeftovers()).isZero();
    }
}
