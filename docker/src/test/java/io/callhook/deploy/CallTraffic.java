package io.callhook.deploy;

import io.callhook.model.BodyFormat;
import io.callhook.model.CallEvent;
import io.callhook.model.CallPhase;
import io.callhook.model.HttpMethod;
import io.callhook.model.Product;
import io.callhook.model.SigningSecret;
import io.callhook.model.Subscription;
import io.callhook.model.Utm;
import io.callhook.model.VisitSnapshot;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What the telephony backend, the site tracker and the subscription API write, in the shape of
 * the demo's traffic: calls of both products (start and end), the caller's visit with UTM tags,
 * subscriptions of an account receiving every event. Deterministic for a seed.
 */
final class CallTraffic {

    private static final List<String> IPS = List.of("77.50.1.1", "212.164.64.1", "2.63.208.1", "8.8.8.8", "2a03:6f05::1");
    private static final List<String> SOURCES = List.of("yandex", "google", "vk", "telegram", "direct");
    private static final List<String> AGENTS = List.of(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1");

    private final SplittableRandom random;

    CallTraffic(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Accounts are CallKeeper when odd, Calltracking when even (as in the demo). */
    static Product productOf(long accountId) {
        return accountId % 2 == 1 ? Product.CALLKEEPER : Product.CALLTRACKING;
    }

    static Subscription subscription(String id, long accountId, String url) {
        Instant now = Instant.now();
        byte[] key = new byte[32];
        new SplittableRandom(id.hashCode()).nextBytes(key);
        return Subscription.newBuilder()
                .setId(id)
                .setAccountId(accountId)
                .setProduct(productOf(accountId))
                .setUrl(url)
                .setMethod(HttpMethod.POST)
                .setFormat(BodyFormat.JSON)
                .setEvents(List.of(CallPhase.STARTED, CallPhase.ENDED))
                .setRenames(Map.of())
                .setParams(Map.of())
                .setHeaders(Map.of())
                .setSecrets(List.of(new SigningSecret("whsec_" + Base64.getEncoder().encodeToString(key), now, null)))
                .setEnabled(true)
                .setCreatedAt(now)
                .setUpdatedAt(now)
                .build();
    }

    VisitSnapshot visit(String visitorId) {
        Utm utm = Utm.newBuilder().setUtmSource(pick(SOURCES)).setUtmMedium("cpc")
                .setUtmCampaign("campaign-" + random.nextInt(40)).build();
        return VisitSnapshot.newBuilder()
                .setVisitorId(visitorId)
                .setCurrent(utm)
                .setFirst(utm)
                .setPagesViewed(1 + random.nextInt(12))
                .setCurrentPage("https://shop.example.ru/catalog/item-" + random.nextInt(5000))
                .setVisitNumber(1 + random.nextInt(6))
                .setUserAgent(pick(AGENTS))
                .setIp(pick(IPS))
                .setUpdatedAt(Instant.now())
                .build();
    }

    /** One event of a call, happening now. */
    CallEvent call(long callId, long accountId, boolean ended) {
        Instant now = Instant.now();
        return CallEvent.newBuilder()
                .setEventId("evt-" + callId + (ended ? "-end" : "-start"))
                .setCallId(callId)
                .setAccountId(accountId)
                .setProduct(productOf(accountId))
                .setPhase(ended ? CallPhase.ENDED : CallPhase.STARTED)
                .setOccurredAt(now)
                .setCallDate(now.minusSeconds(ended ? 60 : 0))
                .setWidgetHash(Long.toHexString(accountId * 2_654_435_761L))
                .setVisitorId("visitor-" + callId)
                .setClientIp(pick(IPS))
                .setSite("shop" + accountId + ".example.ru")
                .setManagerPhone("+7495" + (1_000_000 + random.nextInt(8_999_999)))
                .setClientPhone("+7916" + (1_000_000 + random.nextInt(8_999_999)))
                .setManagerSipStatus(200)
                .setClientSipStatus(200)
                .setDurationSec(ended ? random.nextInt(600) : 0)
                .setRecordUrl(ended ? "https://records.example.ru/" + callId + ".mp3" : "")
                .setEventSource("widget")
                .build();
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
