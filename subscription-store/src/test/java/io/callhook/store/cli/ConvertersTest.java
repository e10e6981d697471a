package io.callhook.store.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class ConvertersTest {

    private final DurationConverter durations = new DurationConverter();
    private final ContentTypeConverter contentTypes = new ContentTypeConverter();

    @Test
    void durationsTakeAUnitOrIso() {
        assertThat(durations.convert("24h")).isEqualTo(Duration.ofHours(24));
        assertThat(durations.convert("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(durations.convert("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(durations.convert("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(durations.convert("0s")).isEqualTo(Duration.ZERO);
        assertThat(durations.convert("PT1H30M")).isEqualTo(Duration.ofMinutes(90));
    }

    @ParameterizedTest
    @ValueSource(strings = {"24", "", "1w", "-5s", "PT-1H", "h"})
    void durationsWithoutAUnitOrNegativeAreRefused(String value) {
        assertThatThrownBy(() -> durations.convert(value)).isInstanceOf(TypeConversionException.class);
    }

    @Test
    void contentTypesTakeShortNamesOrMediaTypes() {
        assertThat(contentTypes.convert("json")).isEqualTo("application/json");
        assertThat(contentTypes.convert("FORM")).isEqualTo("application/x-www-form-urlencoded");
        assertThat(contentTypes.convert("application/x-www-form-urlencoded")).isEqualTo("application/x-www-form-urlencoded");
        assertThatThrownBy(() -> contentTypes.convert("xml")).isInstanceOf(TypeConversionException.class);
    }
}
