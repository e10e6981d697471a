package io.callhook.enricher;

import io.callhook.body.SampleCalls;
import io.callhook.model.CallEvent;
import io.callhook.model.CallPhase;
import io.callhook.model.Product;
import io.callhook.model.SampleSubscriptions;
import io.callhook.model.Subscription;
import io.callhook.model.Utm;
import io.callhook.model.VisitSnapshot;
import java.time.Instant;
import java.util.List;

/** Records for the enricher's tests, with every field a test does not care about filled sensibly. */
final class Fixtures {

    static final Instant CALL_TIME = Instant.parse("2026-11-23T09:15:30Z");
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    /** Moscow in the pinned GeoLite2 build (see MaxMindGeoLookupTest). */
    static final String MOSCOW_IP = "77.50.1.1";
    /** Russian, but without a region in the pinned build. */
    static final String RUSSIAN_NO_REGION_IP = "77.88.55.88";
    static final String GERMAN_IP = "193.99.144.80";

    private Fixtures() {
    }

    /** A call of the project's sample (payload-model's SampleCalls), as these tests need it: their times, ids and place. */
    static CallEvent call(long callId, long accountId, Product product, CallPhase phase) {
        return SampleCalls.startedCall()
                .setEventId("evt-" + callId + "-" + phase)
                .setCallId(callId)
                .setAccountId(accountId)
                .setProduct(product)
                .setPhase(phase)
                .setOccurredAt(CALL_TIME)
                .setCallDate(CALL_TIME)
                .setOrderDate(CALL_TIME.minusSeconds(20))
                .setWidgetHash("w-" + accountId)
                .setVisitorId("visitor-" + callId)
                .setClientIp(MOSCOW_IP)
                .setManagerSipStatus(200)
                .setManagerSipReason("OK")
                .setClientSipStatus(200)
                .setClientSipReason("OK")
                .setDurationSec(phase == CallPhase.ENDED ? 95 : 0)
                .setRecordUrl("")
                .setYaClientId(null)
                .build();
    }

    static VisitSnapshot visit(String visitorId, String utmSource) {
        return VisitSnapshot.newBuilder()
                .setVisitorId(visitorId)
                .setCurrent(Utm.newBuilder().setUtmSource(utmSource).setUtmMedium("cpc").setUtmCampaign("autumn").build())
                .setFirst(Utm.newBuilder().setUtmSource("google").setUtmMedium("organic").build())
                .setPagesViewed(4)
                .setCurrentPage("https://shop.example.ru/contacts")
                .setVisitNumber(3)
                .setUserAgent("Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0")
                .setIp(MOSCOW_IP)
                .setGaClientId("GA1.2.111.222")
                .setYaClientId("1700000000123")
                .setUpdatedAt(CALL_TIME.minusSeconds(60))
                .build();
    }

    static Subscription.Builder callKeeper(String id, long accountId) {
        return SampleSubscriptions.of(id, accountId, Product.CALLKEEPER, "https://crm.example.com/hooks/" + id, SECRET,
                CALL_TIME.minusSeconds(3600));
    }

    static Subscription.Builder callTracking(String id, long accountId, CallPhase... events) {
        return callKeeper(id, accountId).setProduct(Product.CALLTRACKING).setEvents(List.of(events));
    }
}
