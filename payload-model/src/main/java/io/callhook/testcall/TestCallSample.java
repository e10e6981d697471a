package io.callhook.testcall;

import io.callhook.model.CallEvent;
import io.callhook.model.CallPhase;
import io.callhook.model.Product;
import io.callhook.model.Subscription;
import io.callhook.model.Utm;
import io.callhook.model.VisitSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The synthetic call behind "send test webhook": plausible values in every field a real call
 * fills, so the customer sees what a real webhook of the subscription looks like, marked as a
 * test ({@code test}, {@code event_source} and {@code tags}). The store publishes its events;
 * the enricher gives a test call this sample visit when the visits topic has none for its
 * visitor (the site tracker never saw this call), and looks up geo for its IP as for any call.
 */
public final class TestCallSample {

    /** A Moscow address in GeoLite2, so a test webhook carries country, city, region and district. */
    public static final String CLIENT_IP = "77.50.1.1";
    static final String SITE = "shop.example.ru";
    static final String USER_AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/131.0.0.0 Safari/537.36";
    /** How long the sample conversation lasts (ENDED's duration). */
    static final int DURATION_SEC = 95;

    private TestCallSample() {
    }

    /** The events a test call of this subscription sends: both for CALLKEEPER, the chosen ones for CALLTRACKING. */
    public static List<CallPhase> phases(Subscription subscription) {
        if (subscription.getProduct() == Product.CALLKEEPER || subscription.getEvents().isEmpty()) {
            return List.of(CallPhase.STARTED, CallPhase.ENDED);
        }
        return List.of(CallPhase.STARTED, CallPhase.ENDED).stream().filter(subscription.getEvents()::contains).toList();
    }

    /** The visitor of an account's test calls (one per account, so the sample is the same each time). */
    public static String visitorId(long accountId) {
        return "test-visitor-" + accountId;
    }

    /** One event of the test call {@code callId}, sent to this subscription only. */
    public static CallEvent event(Subscription subscription, long callId, CallPhase phase, Instant now) {
        boolean ended = phase == CallPhase.ENDED;
        return CallEvent.newBuilder()
                .setEventId("test-" + callId + "-" + phase)
                .setCallId(callId)
                .setAccountId(subscription.getAccountId())
                .setProduct(subscription.getProduct())
                .setPhase(phase)
                .setOccurredAt(now)
                .setCallDate(now)
                .setOrderDate(now.minus(Duration.ofSeconds(20)))
                .setWidgetHash("test")
                .setWidgetName("Test webhook")
                .setVisitorId(visitorId(subscription.getAccountId()))
                .setClientIp(CLIENT_IP)
                .setSite(SITE)
                .setManagerPhone("+74951234567 [101]")
                .setClientPhone("+79161234567")
                .setManagerSipStatus(200)
                .setManagerSipReason("OK")
                .setClientSipStatus(ended ? 200 : null)
                .setClientSipReason(ended ? "OK" : null)
                .setDurationSec(ended ? DURATION_SEC : null)
                .setAType(0)
                .setAsrAttempts(0)
                .setAttempt(1)
                .setPlaybackTick(ended ? 1 : 0)
                .setEventSource("test")
                .setTags("test")
                .setTest(true)
                .setTargetSubscriptionId(subscription.getId())
                .build();
    }

    /** The visit shown in a test webhook: UTM tags of this and the first visit, pages, user agent, analytics ids. */
    public static VisitSnapshot visit(String visitorId, Instant at) {
        return VisitSnapshot.newBuilder()
                .setVisitorId(visitorId)
                .setCurrent(new Utm("yandex", "cpc", "test_campaign", "banner-1", "звонок с сайта"))
                .setFirst(new Utm("google", "organic", null, null, null))
                .setPagesViewed(4)
                .setCurrentPage("https://" + SITE + "/contacts?utm_source=yandex&utm_medium=cpc")
                .setVisitNumber(2)
                .setUserAgent(USER_AGENT)
                .setIp(CLIENT_IP)
                .setGaClientId("GA1.2.1234567890.1700000000")
                .setYaClientId("1700000000123456789")
                .setUpdatedAt(at)
                .build();
    }
}
