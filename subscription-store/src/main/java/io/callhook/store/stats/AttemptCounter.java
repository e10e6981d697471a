package io.callhook.store.stats;

import io.callhook.model.AttemptOutcome;
import io.callhook.model.DeliveryAttempt;
import io.callhook.model.SubscriptionStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Counts delivery attempts into their subscription's stats. Each attempt is counted once, by
 * its deterministic attempt id, so an attempt record read twice (a producer retry, a replay of
 * the topic, a dispatcher re-sending after a crash its already-written outcome) does not inflate
 * the Sent counter. Attempt ids are remembered for 30 days.
 *
 * <p>It also keeps how long the endpoint has been failing (since the first failed attempt after
 * the latest delivered one, by the attempts' own start times, test calls left out) and reports an
 * endpoint failing for {@code disableAfter} or longer to {@link FailingEndpoints}.
 */
final class AttemptCounter implements Processor<String, DeliveryAttempt, Void, Void> {

    static final Duration REMEMBER_FOR = Duration.ofDays(30);
    /**
     * How often each subscription's attempt log is cut back to its bounds ({@link AttemptLog}):
     * between two cuts one endpoint adds at most what the dispatcher delivers to it in this time.
     */
    static final Duration TRIM_EVERY = Duration.ofMinutes(10);
    /**
     * Attempts the endpoint failed. DROPPED (subscription deleted or disabled meanwhile) and
     * DISABLED (a 410: the subscription is disabled already) do not measure how long it fails.
     */
    private static final Set<AttemptOutcome> FAILURES = EnumSet.of(AttemptOutcome.RETRYING, AttemptOutcome.DEAD_LETTERED);

    private final Clock clock;
    private final AutoDisable autoDisable;
    private final InputHealth health;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, SubscriptionStats> stats;
    private KeyValueStore<String, Long> seen;
    private KeyValueStore<String, DeliveryAttempt> log;

    AttemptCounter(Clock clock, AutoDisable autoDisable, InputHealth health) {
        this.clock = clock;
        this.autoDisable = autoDisable;
        this.health = health;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        stats = context.getStateStore(StatsTopology.STATS_STORE);
        seen = context.getStateStore(StatsTopology.SEEN_STORE);
        log = context.getStateStore(StatsTopology.LOG_STORE);
        context.schedule(Duration.ofHours(1), PunctuationType.WALL_CLOCK_TIME, now -> forgetOldAttemptIds(now));
        context.schedule(TRIM_EVERY, PunctuationType.WALL_CLOCK_TIME, now -> AttemptLog.trim(log, now));
    }

    @Override
    public void process(Record<String, DeliveryAttempt> record) {
        count(record.value());
        context.recordMetadata().ifPresent(source -> health.counted(source.topic(), source.partition(), source.offset()));
    }

    private void count(DeliveryAttempt attempt) {
        if (attempt == null || seen.get(attempt.getAttemptId()) != null) {
            return;
        }
        seen.put(attempt.getAttemptId(), clock.millis());
        if (AttemptLog.loggable(attempt)) {
            log.put(AttemptLog.key(attempt), attempt);
        }
        String id = attempt.getSubscriptionId();
        SubscriptionStats current = stats.get(id);
        SubscriptionStats.Builder next = SubscriptionStats.newBuilder(current == null ? Stats.empty(id) : current);
        if (attempt.getOutcome() == AttemptOutcome.DELIVERED) {
            next.setSent(next.getSent() + 1);
        } else if (attempt.getOutcome() != AttemptOutcome.DROPPED) {
            next.setFailed(next.getFailed() + 1);
        }
        if (next.getLastAttemptAt() == null || !attempt.getStartedAt().isBefore(next.getLastAttemptAt())) {
            next.setLastAttemptAt(attempt.getStartedAt()).setLastStatus(attempt.getHttpStatus()).setLastOutcome(attempt.getOutcome());
        }
        if (attempt.getOutcome() == AttemptOutcome.DISABLED) {
            autoDisable.report().gone(id, attempt.getErrorMessage() == null ? "410 Gone" : attempt.getErrorMessage(),
                    attempt.getStartedAt());
        }
        if (!attempt.getTest()) {
            trackFailures(next, attempt);
        }
        stats.put(id, next.build());
    }

    private void trackFailures(SubscriptionStats.Builder next, DeliveryAttempt attempt) {
        Instant at = attempt.getStartedAt();
        if (attempt.getOutcome() == AttemptOutcome.DELIVERED) {
            if (next.getLastDeliveredAt() == null || at.isAfter(next.getLastDeliveredAt())) {
                next.setLastDeliveredAt(at);
            }
            if (next.getFailingSince() != null && !at.isBefore(next.getFailingSince())) {
                next.setFailingSince(null);
            }
            return;
        }
        if (!FAILURES.contains(attempt.getOutcome())
                || (next.getLastDeliveredAt() != null && at.isBefore(next.getLastDeliveredAt()))) {
            return;
        }
        if (next.getFailingSince() == null || at.isBefore(next.getFailingSince())) {
            next.setFailingSince(at);
        }
        if (autoDisable.isDue(next.getFailingSince(), at)) {
            autoDisable.report().failingTooLong(attempt.getSubscriptionId(), next.getFailingSince(), at);
        }
    }

    private void forgetOldAttemptIds(long now) {
        long cutoff = now - REMEMBER_FOR.toMillis();
        try (KeyValueIterator<String, Long> all = seen.all()) {
            while (all.hasNext()) {
                KeyValue<String, Long> entry = all.next();
                if (entry.value < cutoff) {
                    seen.delete(entry.key);
                }
            }
        }
    }
}
