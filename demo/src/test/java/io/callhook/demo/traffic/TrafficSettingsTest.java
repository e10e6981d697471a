package io.callhook.demo.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficSettingsTest {

    @Test
    void defaultsMakeLongCallsAtDemoRatesAndShortOnesUnderLoad() {
        TrafficSettings demo = TrafficSettings.of(0.5, List.of(41L, 42L));
        assertThat(demo.minCallLength()).isEqualTo(Duration.ofSeconds(2));
        assertThat(demo.maxCallLength()).isEqualTo(Duration.ofSeconds(20));
        assertThat(demo.visitLead()).isEqualTo(Duration.ofSeconds(1));
        assertThat(demo.withoutVisitor()).isEqualTo(0.15);

        TrafficSettings load = TrafficSettings.of(1000, List.of(41L));
        assertThat(load.maxCallLength()).isEqualTo(Duration.ofSeconds(2));
        assertThat(load.visitLead()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void refusesWhatCannotBeGenerated() {
        List<Long> accounts = List.of(41L);
        assertThatThrownBy(() -> TrafficSettings.of(0, accounts)).hasMessageContaining("calls per second");
        assertThatThrownBy(() -> TrafficSettings.of(1000.5, accounts)).hasMessageContaining("at most 1000");
        assertThatThrownBy(() -> TrafficSettings.of(Double.NaN, accounts)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TrafficSettings.of(1, List.of())).hasMessageContaining("account");
        assertThatThrownBy(() -> TrafficSettings.of(1, accounts).withWithoutVisitor(1.1)).hasMessageContaining("0..1");
        assertThatThrownBy(() -> TrafficSettings.of(1, accounts).withCallLength(Duration.ofSeconds(3), Duration.ofSeconds(2)))
                .hasMessageContaining("above maxCallLength");
        assertThatThrownBy(() -> TrafficSettings.of(1, accounts).withVisitLead(Duration.ofSeconds(-1)))
                .hasMessageContaining("negative");
    }
}
