package io.callhook.dispatcher.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryTiersTest {

    private final RetryTiers tiers = RetrySchedule.DEFAULT.tiers();

    @Test
    void defaultScheduleHasOneTierPerDistinctDelay() {
        assertThat(tiers.suffixes()).containsExactly("0s", "5s", "5m", "30m", "2h", "5h", "10h");
        assertThat(tiers.largest()).isEqualTo(new RetryTiers.Tier("10h", Duration.ofHours(10)));
        assertThat(tiers.all()).first().isEqualTo(new RetryTiers.Tier("0s", Duration.ZERO));
    }

    @Test
    void tiersAreSortedAndDeduplicatedWhateverTheScheduleOrder() {
        RetryTiers unordered = RetryTiers.of(List.of(Duration.ofMinutes(5), Duration.ZERO, Duration.ofMinutes(5),
                Duration.ofSeconds(300), Duration.ofSeconds(5)));

        assertThat(unordered.suffixes()).containsExactly("0s", "5s", "5m");
    }

    @ParameterizedTest
    @CsvSource({"PT0S,0s", "PT0.001S,1ms", "PT1.5S,1500ms", "PT5S,5s", "PT90S,90s", "PT1M,1m", "PT5M,5m",
            "PT30M,30m", "PT90M,90m", "PT1H,1h", "PT36H,36h", "PT120H,120h"})
    void suffixesAreTheShortestExactText(String iso, String suffix) {
        assertThat(RetryTiers.suffixOf(Duration.parse(iso))).isEqualTo(suffix);
    }

    @Test
    void suffixesAreLegalInATopicName() {
        RetryTiers many = RetryTiers.of(List.of(Duration.ofMillis(1), Duration.ofMillis(1500), Duration.ofSeconds(59),
                Duration.ofMinutes(61), Duration.ofHours(120)));

        assertThat(many.suffixes()).allMatch(s -> s.matches("[a-zA-Z0-9._-]+")).doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @CsvSource({
            "PT0S,0s",          // immediately
            "PT0.001S,5s",      // anything above zero no longer fits the 0s tier
            "PT4S,5s",
            "PT5S,5s",          // exactly a tier's delay stays in it
            "PT5.001S,5m",
            "PT6S,5m",
            "PT5M,5m",
            "PT5M0.001S,30m",
            "PT30M,30m",
            "PT1H,2h",
            "PT2H,2h",
            "PT4H59M,5h",
            "PT5H,5h",
            "PT5H1S,10h",
            "PT10H,10h",
            "PT12H,10h",        // beyond every tier: the largest
            "PT240H,10h"})
    void tierForIsTheSmallestTierAtLeastAsLong(String iso, String tier) {
        assertThat(tiers.tierFor(Duration.parse(iso))).isEqualTo(tier);
    }

    @Test
    void refusesNegativeDelays() {
        assertThatThrownBy(() -> tiers.tierFor(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryTiers.of(List.of(Duration.ofSeconds(-1))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryTiers.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void equalByTiers() {
        assertThat(RetryTiers.of(List.of(Duration.ofSeconds(5), Duration.ZERO)))
                .isEqualTo(RetryTiers.of(List.of(Duration.ZERO, Duration.ofMillis(5000))))
                .hasToString("RetryTiers[0s, 5s]");
    }
}
