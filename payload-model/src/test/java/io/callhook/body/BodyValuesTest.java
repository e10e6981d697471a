package io.callhook.body;

import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.model.CallEvent;
import io.callhook.model.CallPhase;
import java.time.Instant;
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
