package io.callhook.dispatcher.signing;

import static io.callhook.dispatcher.signing.WebhookSignerTest.MSG_ID;
import static io.callhook.dispatcher.signing.WebhookSignerTest.OTHER_SECRET;
import static io.callhook.dispatcher.signing.WebhookSignerTest.PAYLOAD;
import static io.callhook.dispatcher.signing.WebhookSignerTest.SECRET;
import static io.callhook.dispatcher.signing.WebhookSignerTest.SIGNATURE;
import static io.callhook.dispatcher.signing.WebhookSignerTest.TIMESTAMP;
import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.model.SigningSecret;
import io.callhook.testsupport.StandardWebhooksVerifier;
import io.callhook.testsupport.StandardWebhooksVerifier.InvalidTimestamp;
import io.callhook.testsupport.StandardWebhooksVerifier.MissingHeader;
import io.callhook.testsupport.StandardWebhooksVerifier.NoMatchingSignature;
import io.callhook.testsupport.StandardWebhooksVerifier.Result;
import io.callhook.testsupport.StandardWebhooksVerifier.TimestampTooNew;
import io.callhook.testsupport.StandardWebhooksVerifier.TimestampTooOld;
import io.callhook.testsupport.StandardWebhooksVerifier.Verified;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap.SimpleEntry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The test-support verifier, first against the published vector (so it is right on its own), then
 * against the dispatcher's signer (so the two agree, and each failure is detected).
 */
class StandardWebhooksVerifierTest {

    private static final Instant NOW = Instant.ofEpochSecond(TIMESTAMP);

    private final WebhookSigner signer = new WebhookSigner();

    private static Map<String, String> vectorHeaders(String signature) {
        return Map.of("webhook-id", MSG_ID, "webhook-timestamp", Long.toString(TIMESTAMP),
                "webhook-signature", signature);
    }

    private Map<String, String> signedHeaders(long timestamp, byte[] body, List<SigningSecret> secrets) {
        SigningResult result = signer.sign(MSG_ID, timestamp, body, secrets);
        return ((SigningResult.Signed) result).headers().asMap();
    }

    @Test
    void acceptsThePublishedVector() {
        assertThat(StandardWebhooksVerifier.verify(vectorHeaders(SIGNATURE), PAYLOAD, SECRET, NOW))
                .isEqualTo(new Verified(MSG_ID, TIMESTAMP));
    }

    @Test
    void acceptsASecretWithoutItsPrefix() {
        assertThat(StandardWebhooksVerifier.verify(vectorHeaders(SIGNATURE), PAYLOAD,
                SECRET.substring("whsec_".length()), NOW).verified()).isTrue();
    }

    @Test
    void findsTheMatchingV1EntryAmongOthers() {
        String header = "v1a,c29tZXRoaW5nIGFzeW1tZXRyaWM= v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= " + SIGNATURE;

        assertThat(StandardWebhooksVerifier.verify(vectorHeaders(header), PAYLOAD, SECRET, NOW).verified()).isTrue();
    }

    @Test
    void headerNamesAreCaseInsensitive() {
        Map<String, String> headers = Map.of("Webhook-Id", MSG_ID, "WEBHOOK-TIMESTAMP", Long.toString(TIMESTAMP),
                "Webhook-Signature", SIGNATURE);

        assertThat(StandardWebhooksVerifier.verify(headers, PAYLOAD, SECRET, NOW).verified()).isTrue();
    }

    @Test
    void acceptsHeadersAsEntries() {
        List<Map.Entry<String, String>> entries = List.of(
                new SimpleEntry<>("webhook-id", MSG_ID),
                new SimpleEntry<>("webhook-timestamp", Long.toString(TIMESTAMP)),
                new SimpleEntry<>("webhook-signature", SIGNATURE));

        assertThat(StandardWebhooksVerifier.verify(entries, PAYLOAD, SECRET, NOW).verified()).isTrue();
    }

    @Test
    void namesTheMissingHeader() {
        for (String name : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
            Map<String, String> headers = new HashMap<>(vectorHeaders(SIGNATURE));
            headers.remove(name);

            assertThat(StandardWebhooksVerifier.verify(headers, PAYLOAD, SECRET, NOW))
                    .isEqualTo(new MissingHeader(name));
        }
    }

    @Test
    void refusesANonNumericTimestamp() {
        Map<String, String> headers = new HashMap<>(vectorHeaders(SIGNATURE));
        headers.put("webhook-timestamp", "2021-02-26T15:02:10Z");

        assertThat(StandardWebhooksVerifier.verify(headers, PAYLOAD, SECRET, NOW))
                .isEqualTo(new InvalidTimestamp("2021-02-26T15:02:10Z"));
    }

    @Test
    void signerAndVerifierAgree() {
        Map<String, String> headers = signedHeaders(TIMESTAMP, PAYLOAD, List.of(WebhookSignerTest.current(SECRET)));

        assertThat(StandardWebhooksVerifier.verify(headers, PAYLOAD, SECRET, NOW))
                .isEqualTo(new Verified(MSG_ID, TIMESTAMP));
    }

    @Test
    void signerAndVerifierAgreeOnEmptyAndNonAsciiBodies() {
        for (byte[] body : List.of(new byte[0], "{\"city\":\"\u041c\u043e\u0441\u043a\u0432\u0430 \ud83d\ude00\"}"
                .getBytes(StandardCharsets.UTF_8))) {
            Map<String, String> headers = signedHeaders(TIMESTAMP, body, List.of(WebhookSignerTest.current(SECRET)));

            assertThat(StandardWebhooksVerifier.verify(headers, body, SECRET, NOW).verified()).isTrue();
        }
    }

    @Test
    void duringRotationEitherSecretVerifies() {
        List<SigningSecret> secrets = List.of(WebhookSignerTest.current(OTHER_SECRET),
                WebhookSignerTest.expiring(SECRET, NOW.plusSeconds(3600)));
        Map<String, String> headers = signedHeaders(TIMESTAMP, PAYLOAD, secrets);

        assertThat(StandardWebhooksVerifier.verify(headers, PAYLOAD, SECRET, NOW).verified()).isTrue();
        assertThat(StandardWebhooksVerifier.verify(headers, PAYLOAD, OTHER_SECRET, NOW).verified()).isTrue();
    }

    @Test
    void aTamperedBodyFails() {
        Map<String, String> headers = signedHeaders(TIMESTAMP, PAYLOAD, List.of(WebhookSignerTest.current(SECRET)));
        byte[] tampered = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);

        assertThat(StandardWebhooksVerifier.verify(headers, tampered, SECRET, NOW))
                .isEqualTo(new NoMatchingSignature(1));
    }

    @Test
    void aTamperedIdOrTimestampFails() {
        Map<String, String> headers = new HashMap<>(signedHeaders(TIMESTAMP, PAYLOAD,
                List.of(WebhookSignerTest.current(SECRET))));
        headers.put("webhook-id", "msg_other");
        assertThat(StandardWebhooksVerifier.verify(headers, PAYLOAD, SECRET, NOW).verified()).isFalse();

        headers.put("webhook-id", MSG_ID);
        headers.put("webhook-timestamp", Long.toString(TIMESTAMP + 1));
        assertThat(StandardWebhooksVerifier.verify(headers, PAYLOAD, SECRET, NOW))
                .isEqualTo(new NoMatchingSignature(1));
    }

    @Test
    void theWrongSecretFails() {
        Map<String, String> headers = signedHeaders(TIMESTAMP, PAYLOAD, List.of(WebhookSignerTest.current(SECRET)));

        assertThat(StandardWebhooksVerifier.verify(headers, PAYLOAD, OTHER_SECRET, NOW))
                .isEqualTo(new NoMatchingSignature(1));
    }

    @Test
    void timestampsOutsideTheToleranceFail() {
        Map<String, String> headers = signedHeaders(TIMESTAMP, PAYLOAD, List.of(WebhookSignerTest.current(SECRET)));
        Duration tolerance = StandardWebhooksVerifier.DEFAULT_TOLERANCE;

        assertThat(StandardWebhooksVerifier.verify(headers, PAYLOAD, SECRET, NOW.plus(tolerance)).verified()).isTrue();
        assertThat(StandardWebhooksVerifier.verify(headers, PAYLOAD, SECRET, NOW.minus(tolerance)).verified()).isTrue();

        Instant late = NOW.plus(tolerance).plusSeconds(1);
        assertThat(StandardWebhooksVerifier.verify(headers, PAYLOAD, SECRET, late))
                .isEqualTo(new TimestampTooOld(TIMESTAMP, late));
        Instant early = NOW.minus(tolerance).minusSeconds(1);
        assertThat(StandardWebhooksVerifier.verify(headers, PAYLOAD, SECRET, early))
                .isEqualTo(new TimestampTooNew(TIMESTAMP, early));
    }

    @Test
    void theToleranceCanBeChosen() {
        Result result = StandardWebhooksVerifier.verify(vectorHeaders(SIGNATURE), PAYLOAD, SECRET,
                NOW.plusSeconds(31), Duration.ofSeconds(30));

        assertThat(result).isInstanceOf(TimestampTooOld.class);
    }
}
