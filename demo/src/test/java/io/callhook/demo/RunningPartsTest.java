package io.callhook.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RunningPartsTest {

    @Test
    void theStopClosesTheLastStartedFirstAndInterruptsTheStart() throws Exception {
        List<String> closed = new CopyOnWriteArrayList<>();
        CountDownLatch added = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Thread starter = new Thread(() -> {
            try {
                added.countDown();
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        RunningParts parts = new RunningParts(starter);
        parts.add("broker", () -> closed.add("broker"));
        parts.add("registry", () -> closed.add("registry"));
        parts.add("services", () -> closed.add("services"));
        starter.start();
        added.await();

        parts.stopAll();

        assertThat(closed).containsExactly("services", "registry", "broker");
        assertThat(interrupted.await(5, TimeUnit.SECONDS)).as("the start was interrupted").isTrue();
        assertThat(parts.stopping()).isTrue();
    }

    @Test
    void aPartStartedAfterTheStopBeganIsStoppedAtOnce() throws Exception {
        List<String> closed = new CopyOnWriteArrayList<>();
        RunningParts parts = new RunningParts(new Thread(() -> { }));
        parts.stopAll();

        assertThatThrownBy(() -> parts.add("late", () -> closed.add("late"))).isInstanceOf(InterruptedException.class);
        assertThat(closed).containsExactly("late");
    }
}
