package io.callhook.demo;

import io.callhook.model.BodyFormat;
import io.callhook.model.CallEvent;
import io.callhook.model.CallPhase;
import io.callhook.model.HttpMethod;
import io.callhook.model.Product;
import io.callhook.model.SigningSecret;
import io.callhook.model.Subscription;
import io.callhook.model.Utm;
import io.callhook.model.VisitSnapshot;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Realistic traffic of the telephony backend and the site tracker: calls of both products with
 * start and end events, visits with UTM tags, Russian and foreign client IPs, browsers' user
 * agents. Deterministic for a seed, so runs are comparable.
 */
public final class Traffic {

    private static final List<String> IPS = List.of("77.50.1.1", "212.164.64.1", "2.63.208.1", "77.88.55.88",
            "5.255.255.5", "193.99.144.80", "8.8.8.8", "46.8.8.8", "2a03:6f05::1", "95.165.1.10");
    private static final List<String> SOURCES = List.of("yandex", "google", "vk", "telegram", "direct", "avito");
    private static final List<String> MEDIUMS = List.of("cpc", "organic", "social", "email", "referral");
    private static final List<String> AGENTS = List.of(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
            "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36 YaBrowser/24.12");
    private static final List<String> EVENT_SOURCES = List.of("widget", "callback_form", "multi_button", "smart_call", "exit_popup");

    private final SplittableRandom random;
    private final Instant start;

    public Traffic(long seed, Instant start) {
        this.random = new SplittableRandom(seed);
        this.start = start;
    }

    /** Accounts are CallKeeper when odd, Calltracking when even. */
    public static Product productOf(long accountId) {
        return accountId % 2 == 1 ? Product.CALLKEEPER : Product.CALLTRACKING;
    }

    /** A subscription of the account's product sending to {@code url}, receiving every event. */
    public static Subscription subscription(String id, long accountId, String url, Instant now) {
        Product product = productOf(accountId);
        Subscription.Builder builder = Subscription.newBuilder()
                .setId(id)
                .setAccountId(accountId)
                .setProduct(product)
                .setUrl(url)
                .setMethod(HttpMethod.POST)
                .setFormat(BodyFormat.JSON)
                .setEvents(List.of(CallPhase.STARTED, CallPhase.ENDED))
                .setRenames(Map.of())
                .setParams(Map.of())
                .setHeaders(Map.of())
                .setSecrets(List.of(new SigningSecret(newSecret(), now, null)))
                .setEnabled(true)
                .setCreatedAt(now)
                .setUpdatedAt(now);
        if (product == Product.CALLTRACKING) {
            builder.setRenames(Map.of("visit_info.udata.uag", "user_agent", "phone2", "client_phone"));
        }
        return builder.build();
    }

    /** A new Standard Webhooks secret. */
    public static String newSecret() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    public VisitSnapshot visit(String visitorId) {
        return VisitSnapshot.newBuilder()
                .setVisitorId(visitorId)
                .setCurrent(utm())
                .setFirst(utm())
                .setPagesViewed(1 + random.nextInt(12))
                .setCurrentPage("https://shop.example.ru/catalog/item-" + random.nextInt(5000))
                .setVisitNumber(1 + random.nextInt(6))
                .setUserAgent(pick(AGENTS))
                .setIp(pick(IPS))
                .setGaClientId("GA1.2." + random.nextInt(1_000_000_000) + "." + (1_700_000_000 + random.nextInt(50_000_000)))
                .setYaClientId(Long.toString(1_700_000_000_000_000L + random.nextLong(1_000_000_000_000L)))
                .setUpdatedAt(start)
                .build();
    }

    /** One event of a call; {@code ended} gives its end, with duration and recording. */
    public CallEvent call(long callId, long accountId, boolean ended) {
        Instant date = start.plusSeconds(callId % 86_400);
        int duration = ended ? random.nextInt(600) : 0;
        return CallEvent.newBuilder()
                .setEventId("evt-" + callId + (ended ? "-end" : "-start"))
                .setCallId(callId)
                .setAccountId(accountId)
                .setProduct(productOf(accountId))
                .setPhase(ended ? CallPhase.ENDED : CallPhase.STARTED)
                .setOccurredAt(Instant.now())
                .setCallDate(date)
                .setOrderDate(date.minusSeconds(random.nextInt(60)))
                .setWidgetHash(Long.toHexString(accountId * 2_654_435_761L))
                .setWidgetName("custom css")
                .setVisitorId("visitor-" + callId)
                .setClientIp(pick(IPS))
                .setSite("shop" + accountId + ".example.ru")
                .setManagerPhone("+7495" + (1_000_000 + random.nextInt(8_999_999)) + " [" + (100 + random.nextInt(50)) + "]")
                .setClientPhone("+7916" + (1_000_000 + random.nextInt(8_999_999)))
                .setManagerSipStatus(200)
                .setManagerSipReason("OK")
                .setClientSipStatus(ended && random.nextInt(10) == 0 ? 486 : 200)
                .setClientSipReason(ended && random.nextInt(10) == 0 ? "Busy Here" : "OK")
                .setDurationSec(duration)
                .setAType(random.nextInt(3))
                .setAsrAttempts(0)
                .setAttempt(1)
                .setPlaybackTick(random.nextInt(3))
                .setRecordUrl(ended ? "https://records.example.ru/" + callId + ".mp3" : "")
                .setTags(" ")
                .setEventSource(pick(EVENT_SOURCES))
                .build();
    }

    private Utm utm() {
        return Utm.newBuilder()
                .setUtmSource(pick(SOURCES))
                .setUtmMedium(pick(MEDIUMS))
                .setUtmCampaign("campaign-" + random.nextInt(40))
                .setUtmContent(random.nextBoolean() ? "banner-" + random.nextInt(9) : null)
                .setUtmTerm(random.nextBoolean() ? "купить диван" : null)
                .build();
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
