package io.callhook.service;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The named readiness checks of a service and their combined verdict. A check that throws or
 * returns null counts as down, so a broken check never reports a service ready.
 */
final class ReadinessChecks {

    private static final Logger log = LoggerFactory.getLogger(ReadinessChecks.class);

    /**
     * The combined verdict.
     *
     * @param ready  whether every check is up
     * @param checks each check's name and "UP" or its reason, sorted by name
     */
    record Report(boolean ready, SortedMap<String, String> checks) {
    }

    // Concurrent and sorted: checks may be added after the server started (e.g. once Kafka
    // Streams exists) while a probe is being answered, and the JSON comes out in a stable order.
    private final Map<String, Supplier<HealthStatus>> checks = new ConcurrentSkipListMap<>();

    void add(String name, Supplier<HealthStatus> check) {
        Objects.requireNonNull(check, "check");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a readiness check needs a name");
        }
        if (checks.putIfAbsent(name, check) != null) {
            throw new IllegalArgumentException("readiness check '" + name + "' is already registered");
        }
    }

    Report evaluate() {
        SortedMap<String, String> results = new TreeMap<>();
        boolean ready = true;
        for (Map.Entry<String, Supplier<HealthStatus>> check : checks.entrySet()) {
            HealthStatus status = run(check.getKey(), check.getValue());
            ready &= status.isUp();
            results.put(check.getKey(), status instanceof HealthStatus.Down down ? down.reason() : "UP");
        }
        return new Report(ready, Collections.unmodifiableSortedMap(results));
    }

    private static HealthStatus run(String name, Supplier<HealthStatus> check) {
        try {
            HealthStatus status = check.get();
            return status == null ? HealthStatus.down("check returned no status") : status;
        } catch (RuntimeException e) {
            log.warn("readiness check {} failed", name, e);
            return HealthStatus.down("check failed: " + e.getClass().getSimpleName());
        }
    }
}
