package io.callhook.dispatcher.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OutcomeWriterTest {

    private final OutcomeWriter writer = new OutcomeWriter(Clock.systemUTC());
    private final List<String> sent = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void close() {
        writer.close();
    }

    /** A write that fails with the given errors on its first sends, then lands. */
    private Write failingFirst(String name, RuntimeException... errors) {
        AtomicInteger sends = new AtomicInteger();
        return Write.of(name, () -> {
            sent.add(name);
            int n = sends.getAndIncrement();
            return n < errors.length ? CompletableFuture.failedFuture(errors[n]) : CompletableFuture.completedFuture(null);
        });
    }

    @Test
    void onlyTheWriteThatFailedIsSentAgain() throws Exception {
        CompletableFuture<Void> done = writer.write(List.of(failingFirst("attempt"),
                failingFirst("retry", new TimeoutException("broker away"))));

        done.get(10, TimeUnit.SECONDS);
        assertThat(sent).containsExactlyInAnyOrder("attempt", "retry", "retry");
    }

    @Test
    void anOutageIsWaitedOutAndShownByHealth() throws Exception {
        RuntimeException[] outage = new RuntimeException[4];
        java.util.Arrays.fill(outage, new NotEnoughReplicasException("1 of 2 in sync"));
        CompletableFuture<Void> done = writer.write(List.of(failingFirst("attempt", outage)));

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !writer.health().isUp());
        assertThat(writer.health().toString()).contains("1 outcome writes waiting").contains("NotEnoughReplicasException");
        assertThat(done).isNotDone();

        done.get(30, TimeUnit.SECONDS);
        assertThat(sent).hasSize(5);
        assertThat(writer.health().isUp()).isTrue();
    }

    /**
     * After a long outage the waiting writes' pauses have grown to 10 s: once the broker takes
     * writes again (here: a new write lands), they are sent at once, not at the end of their pause.
     */
    @Test
    void writesWaitingAreSentAtOnceWhenOneLandsAgain() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean brokerUp = new java.util.concurrent.atomic.AtomicBoolean();
        List<CompletableFuture<Void>> waiting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String name = "attempt " + i;
            waiting.add(writer.write(Write.of(name, () -> {
                sent.add(name);
                return brokerUp.get() ? CompletableFuture.completedFuture(null)
                        : CompletableFuture.failedFuture(new TimeoutException("no broker"));
            })));
        }
        // 500 ms, 1 s, 2 s: the next pause is 4 s.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sent.stream().filter("attempt 0"::equals).count() >= 4);
        brokerUp.set(true);
        long landing = System.nanoTime();

        writer.write(failingFirst("a new attempt")).get(5, TimeUnit.SECONDS);

        CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - landing)).as("the waiting writes' landing after the new one's")
                .isLessThan(Duration.ofSeconds(1));
        assertThat(writer.health().isUp()).isTrue();
    }

    /**
     * A write failing for a reason of its own (its topic's partition without a leader) while the
     * others land keeps its growing pauses: it is not sent again each time another lands.
     */
    @Test
    void aWriteFailingWhileOthersLandKeepsItsPauses() throws Exception {
        AtomicInteger sends = new AtomicInteger();
        writer.write(Write.of("retry", () -> {
            sends.incrementAndGet();
            return CompletableFuture.failedFuture(new NotEnoughReplicasException("partition without a leader"));
        }));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sends.get() >= 1);

        for (int i = 0; i < 50; i++) {
            writer.write(failingFirst("attempt " + i)).get(5, TimeUnit.SECONDS);
            Thread.sleep(40);
        }

        // 2 s: its own sends at 0, 0.5 and 1.5 s, and at most one more when the first attempt landed.
        assertThat(sends.get()).as("sends of the failing write while 50 others landed").isLessThanOrEqualTo(4);
    }

    @Test
    void aWriteThatCanNeverLandIsReplacedBySmallerOnesUntilOneLands() throws Exception {
        List<Throwable> reasons = Collections.synchronizedList(new ArrayList<>());
        Write smallest = failingFirst("dead letter without content");
        Write smaller = failingFirst("dead letter without excerpts", new RecordTooLargeException("still too large"))
                .orElse(why -> {
                    reasons.add(why);
                    return smallest;
                });
        Write retry = failingFirst("retry", new RecordTooLargeException("1 MiB"))
                .orElse(why -> {
                    reasons.add(why);
                    return smaller;
                });

        writer.write(List.of(retry)).get(10, TimeUnit.SECONDS);

        assertThat(sent).containsExactly("retry", "dead letter without excerpts", "dead letter without content");
        assertThat(reasons).extracting(Throwable::getMessage).containsExactly("1 MiB", "still too large");
    }

    @Test
    void withNothingSmallerLeftTheWriteIsGivenUpSoThePartitionMovesOn() throws Exception {
        CompletableFuture<Void> done = writer.write(List.of(failingFirst("subscription",
                new SerializationException("cannot encode"), new SerializationException("cannot encode"))));

        done.get(10, TimeUnit.SECONDS);
        assertThat(sent).containsExactly("subscription");
        assertThat(writer.health().isUp()).isTrue();
    }

    @Test
    void aSendThatThrowsIsAFailedWriteNotALeak() throws Exception {
        Write throwing = Write.of("attempt", () -> {
            throw new SerializationException("schema mismatch");
        }).orElse(why -> failingFirst("attempt without excerpt"));

        writer.write(List.of(throwing)).get(10, TimeUnit.SECONDS);
        assertThat(sent).containsExactly("attempt without excerpt");
    }
}
