package io.callhook.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.testkit.LogCapture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShutdownTest {

    private final List<String> closed = new ArrayList<>();

    @Test
    void closesInReverseOrderOfRegistration() {
        Shutdown shutdown = new Shutdown("test");
        shutdown.register("metrics", () -> closed.add("metrics"));
        shutdown.register("kafka", () -> closed.add("kafka"));
        shutdown.register("ops", () -> closed.add("ops"));

        shutdown.run();

        assertThat(closed).containsExactly("ops", "kafka", "metrics");
    }

    @Test
    void aFailingStepIsLoggedAndTheRestStillRun() {
        Shutdown shutdown = new Shutdown("test");
        shutdown.register("first", () -> closed.add("first"));
        shutdown.register("broken", () -> {
            throw new IllegalStateException("boom");
        });
        shutdown.register("error", () -> {
            throw new AssertionError("worse");
        });
        shutdown.register("last", () -> closed.add("last"));

        try (LogCapture log = new LogCapture(Shutdown.class)) {
            shutdown.run();

            assertThat(closed).containsExactly("last", "first");
            assertThat(log.lines()).anyMatch(l -> l.matches("ERROR shutdown 3/4: closing broken failed after \\d+ ms"))
                    .anyMatch(l -> l.matches("ERROR shutdown 2/4: closing error failed after \\d+ ms"))
                    .anyMatch(l -> l.matches("INFO shutdown 1/4: closed last in \\d+ ms"))
                    .contains("INFO shutting down test: 4 steps");
        }
    }

    @Test
    void runningAgainDoesNothing() {
        Shutdown shutdown = new Shutdown("test");
        shutdown.register("once", () -> closed.add("once"));

        shutdown.run();
        shutdown.run();

        assertThat(closed).containsExactly("once");
    }

    @Test
    void registeringAfterShutdownClosesAtOnce() {
        Shutdown shutdown = new Shutdown("test");
        shutdown.run();

        AutoCloseable late = shutdown.register("late", () -> closed.add("late"));

        assertThat(late).isNotNull();
        assertThat(closed).containsExactly("late");
    }
}
