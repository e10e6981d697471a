package io.callhook.docs;

import io.callhook.model.Product;
import io.callhook.model.SampleSubscriptions;
import io.callhook.model.SigningSecret;
import io.callhook.model.Subscription;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Subscriptions as a topic producer writes them, and the Standard Webhooks check the ITs apply. */
final class Webhooks {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Webhooks() {
    }

    /** A new Standard Webhooks secret: {@code whsec_} and the base64 of 32 random bytes. */
    static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    static Subscription.Builder subscription(String id, long accountId, Product product, String url, String... secrets) {
        Instant now = Instant.now();
        List<SigningSecret> signing = new java.util.ArrayList<>();
        for (int i = 0; i < secrets.length; i++) {
            // The first is current; the others are being rotated out and expire in an hour.
            signing.add(new SigningSecret(secrets[i], now, i == 0 ? null : now.plusSeconds(3600)));
        }
        return SampleSubscriptions.of(id, accountId, product, url, secrets[0], now).setSecrets(signing);
    }

    /** Whether one of the request's signatures is the secret's over {@code id.timestamp.payload}. */
    static boolean signedWith(String secret, CapturingReceiver.Captured request) throws GeneralSecurityException {
        byte[] payload = request.method().equals("GET")
                ? (request.rawQuery() == null ? "" : request.rawQuery()).getBytes(StandardCharsets.UTF_8) : request.body();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        mac.update((request.header("webhook-id") + "." + request.header("webhook-timestamp") + ".").getBytes(StandardCharsets.UTF_8));
        byte[] expected = mac.doFinal(payload);
        for (String signature : request.header("webhook-signature").split(" ")) {
            if (signature.startsWith("v1,") && MessageDigest.isEqual(expected, Base64.getDecoder().decode(signature.substring(3)))) {
                return true;
            }
        }
        return false;
    }
}
