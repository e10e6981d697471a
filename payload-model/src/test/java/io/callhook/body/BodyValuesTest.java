package io.callhook.body;

import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.model.CallEvent;
import io.callhook.model.CallPhase;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BodyValuesTest {

    @ParameterizedTest(name = "{0} s -> \"{1}\" min")
    @CsvSource({"0, 0", "1, 1", "59, 1", "60, 1", "61, 2", "3600, 60", "3601, 61"})
    void durationMinIsTheCeilingOfSecondsOverSixtyAsAString(int seconds, String minutes) {
        assertThat(BodyValues.wholeMinutes(seconds)).isEqualTo(minutes);
    }

    @Test
    void unknownDurationHasNoMinutes() {
        assertThat(BodyValues.wholeMinutes(null)).isNull();
    }

    @Test
    void durationsInTheBody() {
        assertThat(body(SampleCalls.endedCall().setDurationSec(61)).tree())
                .containsEntry("duration_sec", 61).containsEntry("duration_min", "2");
        assertThat(body(SampleCalls.endedCall().setDurationSec(0)).tree())
                .containsEntry("duration_sec", 0).containsEntry("duration_min", "0");
        assertThat(body(SampleCalls.endedCall().setDurationSec(null)).tree())
                .containsEntry("duration_sec", null).containsEntry("duration_min", null);
    }

    @Test
    void datesAreUtcWhateverTheJvmZone() {
        TimeZone original = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("Asia/Vladivostok"));
            WebhookBody body = body(SampleCalls.endedCall()
                    .setCallDate(Instant.parse("2018-12-04T23:59:59.999Z"))
                    .setOrderDate(Instant.parse("2018-12-04T23:58:00Z")));

            assertThat(body.tree())
                    .containsEntry("date", "2018-12-04 23:59:59")
                    .containsEntry("date_timestamp", 1543967999L)
                    .containsEntry("order_date", "2018-12-04 23:58:00");
        } finally {
            TimeZone.setDefault(original);
        }
    }

    @Test
    void datesAreWrittenAsTheFormatterWritesThem() {
        DateTimeFormatter formatter = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT)
                .withZone(ZoneOffset.UTC);
        Random random = new Random(7);
        List<Instant> instants = new ArrayList<>(List.of(Instant.EPOCH, Instant.parse("2000-02-29T23:59:59.999Z"),
                Instant.parse("0999-12-31T23:59:59Z"), Instant.parse("1000-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59Z"), Instant.parse("+10000-01-01T00:00:00Z"), Instant.ofEpochSecond(-1)));
        for (int i = 0; i < 10_000; i++) {
            instants.add(Instant.ofEpochSecond(random.nextLong(-20_000_000_000L, 200_000_000_000L), random.nextInt(1_000_000_000)));
        }
        for (Instant instant : instants) {
            assertThat(BodyValues.dateTime(instant)).as(instant.toString()).isEqualTo(formatter.format(instant));
        }
    }

    @Test
    void briefsDocumentedDateExample() {
        assertThat(BodyValues.dateTime(Instant.ofEpochSecond(1543925694))).isEqualTo("2018-12-04 12:14:54");
        assertThat(BodyValues.epochSeconds(Instant.parse("2018-12-04T12:14:54.999Z"))).isEqualTo(1543925694L);
    }

    @Test
    void unknownOrderDateIsNull() {
        assertThat(body(SampleCalls.endedCall().setOrderDate(null)).tree()).containsEntry("order_date", null);
    }

    @Test
    void hookEventPerPhase() {
        assertThat(body(SampleCalls.endedCall().setPhase(CallPhase.STARTED)).tree())
                .containsEntry("hook_event", "Call is processing");
        assertThat(body(SampleCalls.endedCall().setPhase(CallPhase.ENDED)).tree())
                .containsEntry("hook_event", "Call is over");
        assertThat(body(SampleCalls.endedCall().setPhase(CallPhase.UNKNOWN)).tree())
                .containsEntry("hook_event", null);
    }

    private static WebhookBody body(CallEvent.Builder call) {
        return WebhookBody.of(SampleCalls.enriched(call));
    }
}
