package io.callhook.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StartingReadinessTest {

    @Test
    void downAsStartingUntilTheComponentIsThereThenWhatItReports() {
        StartingReadiness<String> readiness = new StartingReadiness<>(state -> state.equals("RUNNING")
                ? HealthStatus.up() : HealthStatus.down(state));

        assertThat(readiness.get()).isEqualTo(HealthStatus.down("starting"));
        readiness.set("REBALANCING");
        assertThat(readiness.get()).isEqualTo(HealthStatus.down("REBALANCING"));
        assertThat(readiness.set("RUNNING")).isEqualTo("RUNNING");
        assertThat(readiness.get().isUp()).isTrue();
    }
}
