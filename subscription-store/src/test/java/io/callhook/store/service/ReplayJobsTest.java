package io.callhook.store.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.domain.DeadLetterReplayer.ReplayResult;
import io.callhook.domain.DeadLetterReplayer.ReplayScope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Admission of replay jobs, with a runner of the test's own that waits until released. */
class ReplayJobsTest {

    private static final ReplayScope SCOPE = new ReplayScope("sub_1", Instant.EPOCH, Instant.now(), 10);

    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger runs = new AtomicInteger();
    private final ReplayJobs jobs = new ReplayJobs((scope, id) -> {
        runs.incrementAndGet();
        try {
            release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new ReplayResult(1, 0, true);
    }, new AccountLimiter("replays", new RateLimit(3, Duration.ofHours(1)), Clock.systemUTC()), 2, Clock.systemUTC());

    @AfterEach
    void stop() throws InterruptedException {
        release.countDown();
        jobs.close();
    }

    @Test
    void theSameReplayAskedAgainWhileItRunsJoinsItAndAnotherIsRefused() throws Exception {
        ReplayJobs.Admission first = jobs.start(42, "sub_1||", SCOPE);
        ReplayJobs.Admission again = jobs.start(42, "sub_1||", SCOPE);
        ReplayJobs.Admission other = jobs.start(42, "sub_2||", SCOPE);
        ReplayJobs.Admission otherAccount = jobs.start(43, "sub_3||", SCOPE);

        assertThat(first).isInstanceOf(ReplayJobs.Admission.Started.class);
        ReplayJobs.ReplayJob job = ((ReplayJobs.Admission.Started) first).job();
        assertThat(again).isEqualTo(new ReplayJobs.Admission.Joined(job));
        assertThat(other).isEqualTo(new ReplayJobs.Admission.Busy(job));
        assertThat(otherAccount).isInstanceOf(ReplayJobs.Admission.Started.class);
        release.countDown();
        assertThat(job.result().get(10, TimeUnit.SECONDS).replayed()).isEqualTo(1);
        // The other account's job runs on another thread, which may not have begun by now.
        ((ReplayJobs.Admission.Started) otherAccount).job().result().get(10, TimeUnit.SECONDS);
        assertThat(runs.get()).as("joined, not run twice").isEqualTo(2);
        assertThat(jobs.start(42, "sub_2||", SCOPE)).as("the account's next one, as soon as the first is known to have ended")
                .isInstanceOf(ReplayJobs.Admission.Started.class);
        assertThat(jobs.find(job.id())).contains(job);
    }

    @Test
    void anAccountAskingTooOftenIsLimited() throws Exception {
        release.countDown();
        for (int i = 0; i < 3; i++) {
            ReplayJobs.Admission started = jobs.start(42, "sub_1||" + i, SCOPE);
            assertThat(started).isInstanceOf(ReplayJobs.Admission.Started.class);
            ((ReplayJobs.Admission.Started) started).job().result().get(10, TimeUnit.SECONDS);
        }

        assertThat(jobs.start(42, "sub_1||", SCOPE)).isInstanceOf(ReplayJobs.Admission.Limited.class);
    }
}
