package io.callhook.dispatcher.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.callhook.model.SigningSecret;
import io.callhook.testkit.Concurrently;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every expected signature here is a fixed value: the Standard Webhooks / Svix published vector,
 * or a value computed once with an independent implementation (Python's hmac module) and pasted
 * in, so a change to the signer cannot silently change what "correct" means.
 */
class WebhookSignerTest {

    // The test vector published by Standard Webhooks and used in Svix's libraries.
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final long TIMESTAMP = 1614265330L;
    static final byte[] PAYLOAD = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    // A second secret (bytes 1..32) and its signature of the vector's message.
    static final String OTHER_SECRET = "whsec_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";
    static final String OTHER_SIGNATURE = "v1,frM35V2Z51bxs4v81I6TpLnscXkhXtKLP/7WPYVyj3A=";

    static final Instant SIGNED_AT = Instant.ofEpochSecond(TIMESTAMP);
    static final Instant CREATED = Instant.parse("2021-01-01T00:00:00Z");

    private final WebhookSigner signer = new WebhookSigner();

    static SigningSecret current(String secret) {
        return new SigningSecret(secret, CREATED, null);
    }

    static SigningSecret expiring(String secret, Instant expiresAt) {
        return new SigningSecret(secret, CREATED, expiresAt);
    }

    static SignatureHeaders signed(SigningResult result) {
        assertThat(result).isInstanceOf(SigningResult.Signed.class);
        return ((SigningResult.Signed) result).headers();
    }

    @Test
    void signsThePublishedTestVector() {
        SignatureHeaders headers = signed(signer.sign(MSG_ID, TIMESTAMP, PAYLOAD, List.of(current(SECRET))));

        assertThat(headers).isEqualTo(new SignatureHeaders(MSG_ID, TIMESTAMP, SIGNATURE));
        assertThat(headers.asMap()).containsExactly(
                Map.entry("webhook-id", MSG_ID),
                Map.entry("webhook-timestamp", "1614265330"),
                Map.entry("webhook-signature", SIGNATURE));
    }

    @Test
    void signsTheRemainingBytesOfABufferWithoutMovingIt() {
        byte[] framed = new byte[PAYLOAD.length + 6];
        System.arraycopy(PAYLOAD, 0, framed, 3, PAYLOAD.length);
        ByteBuffer body = ByteBuffer.wrap(framed, 3, PAYLOAD.length);

        SignatureHeaders headers = signed(signer.sign(MSG_ID, TIMESTAMP, body, List.of(current(SECRET))));

        assertThat(headers.signature()).isEqualTo(SIGNATURE);
        assertThat(body.position()).isEqualTo(3);
        assertThat(body.remaining()).isEqualTo(PAYLOAD.length);
    }

    @Test
    void rotationSignsWithEveryActiveSecretCurrentFirst() {
        // Listed old-first on purpose: the header must still put the current secret first.
        List<SigningSecret> secrets = List.of(
                expiring(SECRET, SIGNED_AT.plusSeconds(3600)),
                current(OTHER_SECRET));

        SignatureHeaders headers = signed(signer.sign(MSG_ID, TIMESTAMP, PAYLOAD, secrets));

        assertThat(headers.signature()).isEqualTo(OTHER_SIGNATURE + " " + SIGNATURE);
    }

    @Test
    void expiringSecretsFollowTheCurrentOneLatestExpiryFirst() {
        List<SigningSecret> secrets = List.of(
                expiring(OTHER_SECRET, SIGNED_AT.plusSeconds(60)),
                expiring(SECRET, SIGNED_AT.plusSeconds(7200)));

        assertThat(signed(signer.sign(MSG_ID, TIMESTAMP, PAYLOAD, secrets)).signature())
                .isEqualTo(SIGNATURE + " " + OTHER_SIGNATURE);
    }

    @Test
    void expiredSecretsDoNotSign() {
        List<SigningSecret> secrets = List.of(
                current(SECRET),
                expiring(OTHER_SECRET, SIGNED_AT.minusSeconds(1)));

        assertThat(signed(signer.sign(MSG_ID, TIMESTAMP, PAYLOAD, secrets)).signature()).isEqualTo(SIGNATURE);
    }

    @Test
    void aSecretExpiringAtTheSigningTimeNoLongerSigns() {
        List<SigningSecret> secrets = List.of(current(SECRET), expiring(OTHER_SECRET, SIGNED_AT));

        assertThat(signed(signer.sign(MSG_ID, TIMESTAMP, PAYLOAD, secrets)).signature()).isEqualTo(SIGNATURE);
        assertThat(signed(signer.sign(MSG_ID, TIMESTAMP - 1, PAYLOAD, secrets)).signature()).contains(" ");
    }

    @Test
    void signsTheExactUtf8BytesOfANonAsciiBody() {
        // {"city":"Москва","widget_name":"виджет ☎","emoji":"😀"} as UTF-8, written as bytes so
        // the source file's encoding cannot change what is signed.
        byte[] body = HexFormat.of().parseHex("7b2263697479223a22d09cd0bed181d0bad0b2d0b0222c227769646765745f6e616d"
                + "65223a22d0b2d0b8d0b4d0b6d0b5d18220e2988e222c22656d6f6a69223a22f09f9880227d");
        assertThat(new String(body, StandardCharsets.UTF_8))
                .isEqualTo("{\"city\":\"\u041c\u043e\u0441\u043a\u0432\u0430\",\"widget_name\":"
                        + "\"\u0432\u0438\u0434\u0436\u0435\u0442 \u260e\",\"emoji\":\"\ud83d\ude00\"}");

        assertThat(signed(signer.sign(MSG_ID, TIMESTAMP, body, List.of(current(SECRET)))).signature())
                .isEqualTo("v1,mNGhNSXSCkHVZLTJzAGH5crapiQUA30GYxf9JWjjMB4=");
    }

    @Test
    void signsAnEmptyBody() {
        assertThat(signed(signer.sign(MSG_ID, TIMESTAMP, new byte[0], List.of(current(SECRET)))).signature())
                .isEqualTo("v1,v48jdbgvh29KJz2Qc+ghw8G6vG3nAKnujWBg8oM/62A=");
    }

    @Test
    void refusesASubscriptionWithoutSecrets() {
        assertThat(signer.sign(MSG_ID, TIMESTAMP, PAYLOAD, List.of()))
                .isEqualTo(new SigningResult.NoActiveSecret(0));
    }

    @Test
    void refusesASubscriptionWhoseSecretsAllExpired() {
        List<SigningSecret> secrets = List.of(
                expiring(SECRET, SIGNED_AT.minusSeconds(10)),
                expiring(OTHER_SECRET, SIGNED_AT));

        assertThat(signer.sign(MSG_ID, TIMESTAMP, PAYLOAD, secrets)).isEqualTo(new SigningResult.NoActiveSecret(2));
    }

    @Test
    void refusesMalformedActiveSecretsNamingPositionNotText() {
        assertThat(signer.sign(MSG_ID, TIMESTAMP, PAYLOAD, List.of(current(SECRET), expiring("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                SIGNED_AT.plusSeconds(60)))))
                .isEqualTo(new SigningResult.MalformedSecret(1, "does not start with whsec_"));
        assertThat(signer.sign(MSG_ID, TIMESTAMP, PAYLOAD, List.of(current("whsec_not*base64!"))))
                .isEqualTo(new SigningResult.MalformedSecret(0, "is not valid base64 after whsec_"));
        assertThat(signer.sign(MSG_ID, TIMESTAMP, PAYLOAD, List.of(current("whsec_"))))
                .isEqualTo(new SigningResult.MalformedSecret(0, "is empty after whsec_"));

        SigningResult refused = signer.sign(MSG_ID, TIMESTAMP, PAYLOAD, List.of(current("whsec_sEcReT!")));
        assertThat(refused.toString()).doesNotContain("sEcReT");
    }

    @Test
    void aMalformedSecretThatExpiredIsIgnored() {
        List<SigningSecret> secrets = List.of(current(SECRET), expiring("garbage", SIGNED_AT.minusSeconds(1)));

        assertThat(signed(signer.sign(MSG_ID, TIMESTAMP, PAYLOAD, secrets)).signature()).isEqualTo(SIGNATURE);
    }

    @Test
    void refusesCallerBugsWithExceptions() {
        List<SigningSecret> secrets = List.of(current(SECRET));

        assertThatThrownBy(() -> signer.sign("", TIMESTAMP, PAYLOAD, secrets))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("webhookId");
        assertThatThrownBy(() -> signer.sign(MSG_ID, -1, PAYLOAD, secrets))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timestamp");
        assertThatThrownBy(() -> new WebhookSigner(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void staysCorrectWhenTheKeyCacheEvicts() {
        WebhookSigner tiny = new WebhookSigner(1);
        for (int i = 0; i < 50; i++) {
            String secret = i % 2 == 0 ? SECRET : OTHER_SECRET;
            String expected = i % 2 == 0 ? SIGNATURE : OTHER_SIGNATURE;
            assertThat(signed(tiny.sign(MSG_ID, TIMESTAMP, PAYLOAD, List.of(current(secret)))).signature())
                    .isEqualTo(expected);
        }
    }

    @Test
    void isThreadSafe() throws Exception {
        // Threads interleave the two secrets, so each thread's MAC is re-keyed again and again
        // while other threads use theirs.
        boolean allSigned = Concurrently.allHold(8, 64, offset -> () -> {
            for (int i = 0; i < 500; i++) {
                boolean first = (i + offset) % 2 == 0;
                SigningResult result = signer.sign(MSG_ID, TIMESTAMP, PAYLOAD, List.of(current(first ? SECRET : OTHER_SECRET)));
                String expected = first ? SIGNATURE : OTHER_SIGNATURE;
                if (!((SigningResult.Signed) result).headers().signature().equals(expected)) {
                    return false;
                }
            }
            return true;
        });

        assertThat(allSigned).isTrue();
    }
}
