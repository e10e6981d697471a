package io.callhook.demo.inspector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignatureVerifierTest {

    // The test vector published with the Standard Webhooks specification (and Svix's libraries).
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final String TIMESTAMP = "1614265330";
    private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static final Instant SIGNED_AT = Instant.ofEpochSecond(1614265330);
    private static final List<byte[]> KEYS = List.of(SignatureVerifier.decodeSecret(SECRET));

    @Test
    void acceptsThePublishedTestVector() {
        assertThat(SignatureVerifier.verify(KEYS, ID, TIMESTAMP, SIGNATURE, BODY, SIGNED_AT)).isEqualTo(SignatureCheck.valid());
    }

    @Test
    void acceptsAnyOfSeveralSignaturesAndIgnoresOtherVersions() {
        String header = "v1a,c29tZXRoaW5nIGVsc2U= v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= v1,not-base64!! " + SIGNATURE;

        assertThat(SignatureVerifier.verify(KEYS, ID, TIMESTAMP, header, BODY, SIGNED_AT).status())
                .isEqualTo(SignatureCheck.Status.VALID);
    }

    @Test
    void acceptsASignatureByAnyRegisteredSecret() {
        List<byte[]> rotated = List.of(SignatureVerifier.decodeSecret("whsec_" + "c2VjcmV0LW9mLXRoZS1uZXh0LWtleQ=="), KEYS.get(0));

        assertThat(SignatureVerifier.verify(rotated, ID, TIMESTAMP, SIGNATURE, BODY, SIGNED_AT).status())
                .isEqualTo(SignatureCheck.Status.VALID);
    }

    @Test
    void refusesAnotherBodyIdOrTimestamp() {
        byte[] tampered = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);

        assertThat(SignatureVerifier.verify(KEYS, ID, TIMESTAMP, SIGNATURE, tampered, SIGNED_AT).reason())
                .startsWith("no v1 signature matches");
        assertThat(SignatureVerifier.verify(KEYS, "msg_other", TIMESTAMP, SIGNATURE, BODY, SIGNED_AT).status())
                .isEqualTo(SignatureCheck.Status.INVALID);
        assertThat(SignatureVerifier.verify(KEYS, ID, "1614265331", SIGNATURE, BODY, SIGNED_AT).status())
                .isEqualTo(SignatureCheck.Status.INVALID);
    }

    @Test
    void refusesTimestampsOutsideFiveMinutesEitherWay() {
        assertThat(SignatureVerifier.verify(KEYS, ID, TIMESTAMP, SIGNATURE, BODY, SIGNED_AT.plusSeconds(300)).status())
                .isEqualTo(SignatureCheck.Status.VALID);
        assertThat(SignatureVerifier.verify(KEYS, ID, TIMESTAMP, SIGNATURE, BODY, SIGNED_AT.plusSeconds(301)).reason())
                .isEqualTo("webhook-timestamp is 301 s in the past (tolerance 300 s)");
        assertThat(SignatureVerifier.verify(KEYS, ID, TIMESTAMP, SIGNATURE, BODY, SIGNED_AT.minusSeconds(400)).reason())
                .isEqualTo("webhook-timestamp is 400 s in the future (tolerance 300 s)");
    }

    @Test
    void namesWhatIsMissingOrMalformed() {
        assertThat(SignatureVerifier.verify(KEYS, null, TIMESTAMP, SIGNATURE, BODY, SIGNED_AT).reason()).isEqualTo("no webhook-id header");
        assertThat(SignatureVerifier.verify(KEYS, ID, null, SIGNATURE, BODY, SIGNED_AT).reason()).isEqualTo("no webhook-timestamp header");
        assertThat(SignatureVerifier.verify(KEYS, ID, TIMESTAMP, null, BODY, SIGNED_AT).reason()).isEqualTo("no webhook-signature header");
        assertThat(SignatureVerifier.verify(KEYS, ID, "+1614265330", SIGNATURE, BODY, SIGNED_AT).reason())
                .startsWith("webhook-timestamp is not a number");
        assertThat(SignatureVerifier.verify(KEYS, ID, TIMESTAMP, "v1a,abc", BODY, SIGNED_AT).reason())
                .isEqualTo("webhook-signature has no v1 signature");
    }

    @Test
    void withoutKeysNothingIsChecked() {
        assertThat(SignatureVerifier.verify(List.of(), ID, TIMESTAMP, "garbage", BODY, SIGNED_AT)).isEqualTo(SignatureCheck.noSecret());
    }

    @Test
    void refusesMalformedSecretsWithoutEchoingThem() {
        assertThatThrownBy(() -> SignatureVerifier.decodeSecret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
                .hasMessageNotContaining("MfKQ9r8").hasMessageContaining("whsec_");
        assertThatThrownBy(() -> SignatureVerifier.decodeSecret("whsec_not base64!")).hasMessageNotContaining("not base64!");
        assertThatThrownBy(() -> SignatureVerifier.decodeSecret("whsec_")).hasMessageContaining("empty");
    }
}
