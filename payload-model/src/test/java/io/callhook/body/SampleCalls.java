package io.callhook.body;

import io.callhook.model.CallEvent;
import io.callhook.model.CallPhase;
import io.callhook.model.Product;
import io.callhook.model.Utm;
import io.callhook.model.VisitSnapshot;
import java.time.Instant;

/**
 * Call events used by tests across the project (this module's test jar) and the golden files;
 * the dates are BRIEF's documented example.
 */
public final class SampleCalls {

    /** BRIEF: {@code date: "2018-12-04 12:14:54"}, {@code date_timestamp: 1543925694}. */
    static final Instant CALL_DATE = Instant.parse("2018-12-04T12:14:54.250Z");
    static final Instant ORDER_DATE = Instant.parse("2018-12-04T12:14:20Z");

    static final Geo YEKATERINBURG = new Geo("RU", "Sverdlovsk Oblast", "Yekaterinburg", "Ural Federal District");
    static final Geo MOSCOW_IN_RUSSIAN = new Geo("RU", "Московская область", "Москва", "Центральный федеральный округ");

    private SampleCalls() {
    }

    /** A CallKeeper widget call as the backend knows it when it starts: no duration, no SIP results yet. */
    public static CallEvent.Builder startedCall() {
        return CallEvent.newBuilder()
                .setEventId("evt-1543925-started")
                .setCallId(1543925L)
                .setAccountId(42L)
                .setProduct(Product.CALLKEEPER)
                .setPhase(CallPhase.STARTED)
                .setOccurredAt(CALL_DATE)
                .setCallDate(CALL_DATE)
                .setOrderDate(ORDER_DATE)
                .setWidgetHash("5f4dcc3b5aa765d61d8327deb882cf99")
                .setWidgetName("custom css")
                .setVisitorId("visitor-7")
                .setClientIp("203.0.113.7")
                .setSite("shop.example.ru")
                .setManagerPhone("+74951234567 [101]")
                .setClientPhone("+79161234567")
                .setAType(0)
                .setAsrAttempts(0)
                .setAttempt(1)
                .setPlaybackTick(0)
                .setEventSource("widget")
                .setTags(" ")
                .setYaClientId("1543925000123456789");
    }

    /** The started call with its own id (and event and visitor ids that follow from it). */
    public static CallEvent startedCall(long callId) {
        return startedCall()
                .setEventId("evt-" + callId + "-started")
                .setCallId(callId)
                .setVisitorId("visitor-" + callId)
                .build();
    }

    /** The same call when it is over: both legs answered, 61 seconds, recorded. */
    public static CallEvent.Builder endedCall() {
        return startedCall()
                .setEventId("evt-1543925-ended")
                .setPhase(CallPhase.ENDED)
                .setOccurredAt(CALL_DATE.plusSeconds(75))
                .setManagerSipStatus(200)
                .setManagerSipReason("OK")
                .setClientSipStatus(486)
                .setClientSipReason("Busy Here")
                .setDurationSec(61)
                .setPlaybackTick(1)
                .setRecordUrl("https://records.example.ru/calls/1543925.mp3");
    }

    static CallEvent.Builder calltrackingEndedCall() {
        return endedCall().setProduct(Product.CALLTRACKING).setEventId("evt-1543925-ct-ended");
    }

    static VisitSnapshot visit() {
        return VisitSnapshot.newBuilder()
                .setVisitorId("visitor-7")
                .setCurrent(utm("yandex", "cpc", "spring sale", "banner-1", "купить диван"))
                .setFirst(utm("google", "organic", null, null, null))
                .setPagesViewed(4)
                .setCurrentPage("https://shop.example.ru/contacts?utm_source=yandex&utm_medium=cpc")
                .setVisitNumber(3)
                .setUserAgent("Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0")
                .setIp("203.0.113.7")
                .setGaClientId("GA1.2.1234567890.1543925000")
                .setGaClid("EAIaIQobChMI")
                .setYaClientId("visit-ya-id-is-not-used-when-the-call-has-one")
                .setUpdatedAt(CALL_DATE.minusSeconds(30))
                .build();
    }

    static Utm utm(String source, String medium, String campaign, String content, String term) {
        return Utm.newBuilder()
                .setUtmSource(source)
                .setUtmMedium(medium)
                .setUtmCampaign(campaign)
                .setUtmContent(content)
                .setUtmTerm(term)
                .build();
    }

    static EnrichedCall enriched(CallEvent.Builder call) {
        return new EnrichedCall(call.build(), visit(), YEKATERINBURG);
    }
}
