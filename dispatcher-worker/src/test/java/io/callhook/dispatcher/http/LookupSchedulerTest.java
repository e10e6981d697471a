package io.callhook.dispatcher.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LookupSchedulerTest {

    private final AtomicLong nanos = new AtomicLong();
    private final List<String> ran = new CopyOnWriteArrayList<>();

    @Test
    void freedThreadsGoToWaitingAccountsInTurn() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(7);
        try (LookupScheduler scheduler = new LookupScheduler(1, 1, 10, nanos::get)) {
            scheduler.submit("gate", task("gate", () -> await(gate), done));
            for (int i = 1; i <= 3; i++) {
                scheduler.submit("a", task("a" + i, () -> { }, done));
            }
            for (int i = 1; i <= 3; i++) {
                scheduler.submit("b", task("b" + i, () -> { }, done));
            }
            gate.countDown();

            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ran).containsExactly("gate", "a1", "b1", "a2", "b2", "a3", "b3");
        }
    }

    @Test
    void anAccountWithAFullQueueIsRefusedAndOthersAreNot() {
        CountDownLatch gate = new CountDownLatch(1);
        try (LookupScheduler scheduler = new LookupScheduler(2, 1, 2, nanos::get)) {
            assertThat(scheduler.submit("a", task("a1", () -> await(gate), null))).isTrue();
            assertThat(scheduler.submit("a", task("a2", () -> { }, null))).isTrue();
            assertThat(scheduler.submit("a", task("a3", () -> { }, null))).isTrue();
            assertThat(scheduler.submit("a", task("a4", () -> { }, null))).as("two waiting already").isFalse();
            assertThat(scheduler.submit("b", task("b1", () -> { }, null))).isTrue();
            gate.countDown();
        }
    }

    private LookupScheduler.Task task(String name, Runnable work, CountDownLatch done) {
        return new LookupScheduler.Task(Long.MAX_VALUE, () -> {
            ran.add(name);
            work.run();
            if (done != null) {
                done.countDown();
            }
        }, () -> ran.add(name + " expired"));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
