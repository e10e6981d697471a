package io.callhook.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The time compression {@link AlertRulesIT} runs the rules with. */
class AlertRulesTest {

    @Test
    void rangesAndOffsetsAreDividedDownToFiveSecondsAtLeast() {
        assertThat(AlertRules.compress("sum(rate(x[15m])) > 0 unless y offset 15m and z[1h30m] > 1 and w[1m]", 60))
                .isEqualTo("sum(rate(x[15000ms])) > 0 unless y offset 15000ms and z[90000ms] > 1 and w[5000ms]");
    }

    @Test
    void labelsThresholdsAndNumbersStayAsTheyAre() {
        String expr = "max by (service) (lag{topic!~\".*retry.*\",le=\"15\"}) > 5000 and count(up{job=\"callhook\"}) >= 3";
        assertThat(AlertRules.compress(expr, 60)).isEqualTo(expr);
    }

    @Test
    void aSubqueryIsRefusedRatherThanLeftLong() {
        assertThatThrownBy(() -> AlertRules.compress("max_over_time(rate(x[5m])[1h:1m])", 60))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subquery");
    }
}
