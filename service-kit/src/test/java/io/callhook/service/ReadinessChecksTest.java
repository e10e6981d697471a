package io.callhook.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ReadinessChecksTest {

    private final ReadinessChecks checks = new ReadinessChecks();

    @Test
    void readyWithoutChecks() {
        assertThat(checks.evaluate()).isEqualTo(new ReadinessChecks.Report(true, new TreeMap<>()));
    }

    @Test
    void readyOnlyWhenEveryCheckIsUp() {
        checks.add("kafka-streams", () -> HealthStatus.down("REBALANCING"));
        checks.add("geo-db", HealthStatus::up);

        ReadinessChecks.Report report = checks.evaluate();

        assertThat(report.ready()).isFalse();
        assertThat(report.checks()).as("sorted by name")
                .containsExactly(entry("geo-db", "UP"), entry("kafka-streams", "REBALANCING"));
    }

    @Test
    void aCheckThatThrowsOrReturnsNullIsDown() {
        checks.add("throws", () -> {
            throw new IllegalStateException("no admin client");
        });
        checks.add("null", () -> null);

        ReadinessChecks.Report report = checks.evaluate();

        assertThat(report.ready()).isFalse();
        assertThat(report.checks()).containsEntry("throws", "check failed: IllegalStateException")
                .containsEntry("null", "check returned no status");
    }

    @Test
    void namesAreUniqueAndNotBlank() {
        checks.add("kafka", HealthStatus::up);
        assertThatThrownBy(() -> checks.add("kafka", HealthStatus::up)).hasMessageContaining("already registered");
        assertThatThrownBy(() -> checks.add(" ", HealthStatus::up)).hasMessageContaining("needs a name");
    }
}
