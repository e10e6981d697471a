package io.callhook.store.stats;

import io.callhook.service.HealthStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether the counters are held up by the infrastructure: an input record that could not be read
 * or counted for want of the schema registry (or the broker) is waited for, not skipped, and
 * readiness is DOWN until a record at or after it on its partition has been counted. A partition
 * that moved to another instance meanwhile stops holding readiness down once nothing failed on it
 * for {@link #FORGET_AFTER}.
 */
public final class InputHealth {

    static final Duration FORGET_AFTER = Duration.ofMinutes(2);

    private record Stuck(long offset, String reason, Instant since, Instant lastFailure) {
    }

    private final Clock clock;
    private final Map<String, Stuck> stuck = new ConcurrentHashMap<>();

    public InputHealth(Clock clock) {
        this.clock = clock;
    }

    /** The record at these coordinates could not be counted for now, for {@code reason}. */
    public void waitingFor(String topic, int partition, long offset, String reason) {
        Instant now = clock.instant();
        stuck.merge(topic + "-" + partition, new Stuck(offset, reason, now, now),
                (old, fresh) -> new Stuck(Math.min(old.offset(), offset), reason, old.since(), now));
    }

    /** The record at these coordinates was counted: whatever waited on its partition before it is through. */
    public void counted(String topic, int partition, long offset) {
        if (stuck.isEmpty()) {
            return;
        }
        stuck.computeIfPresent(topic + "-" + partition, (key, waiting) -> offset >= waiting.offset() ? null : waiting);
    }

    /** UP unless some input waits for the infrastructure. */
    public HealthStatus status() {
        Instant now = clock.instant();
        stuck.values().removeIf(waiting -> waiting.lastFailure().plus(FORGET_AFTER).isBefore(now));
        return stuck.entrySet().stream().findFirst()
                .map(entry -> HealthStatus.down("counters wait for " + entry.getKey() + " at offset " + entry.getValue().offset()
                        + " since " + entry.getValue().since() + ": " + entry.getValue().reason()))
                .orElse(HealthStatus.up());
    }
}
