package io.callhook.demo.inspector;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The receiver's side of Standard Webhooks (https://www.standardwebhooks.com/), written from the
 * specification rather than shared with the dispatcher, so the two ends check each other:
 * {@code webhook-signature} holds space-separated {@code v1,<base64 HMAC-SHA256>} entries over
 * {@code <webhook-id>.<webhook-timestamp>.<body bytes>} (for a GET, the raw query string in place
 * of the body), keyed by the base64 after {@code whsec_};
 * one matching entry is enough (several are sent while a secret is rotated), and the timestamp
 * must be within {@link #TOLERANCE} of now, either way, which is what stops replays.
 */
final class SignatureVerifier {

    /** How far {@code webhook-timestamp} may be from the receiver's clock, as the specification suggests. */
    static final Duration TOLERANCE = Duration.ofMinutes(5);

    private static final String SECRET_PREFIX = "whsec_";
    private static final String ALGORITHM = "HmacSHA256";

    private SignatureVerifier() {
    }

    /**
     * The HMAC key of a {@code whsec_...} secret.
     *
     * @throws IllegalArgumentException if it lacks the prefix, is not base64 or is empty; the
     *                                  message never contains the secret
     */
    static byte[] decodeSecret(String secret) {
        if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("a Standard Webhooks secret starts with " + SECRET_PREFIX);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the secret after " + SECRET_PREFIX + " is not base64");
        }
        if (key.length == 0) {
            throw new IllegalArgumentException("the secret after " + SECRET_PREFIX + " is empty");
        }
        return key;
    }

    /**
     * Checks a request against the keys registered for its path.
     *
     * @param keys      decoded keys; empty gives {@link SignatureCheck.Status#NO_SECRET}
     * @param id        the {@code webhook-id} header, or null when absent
     * @param timestamp the {@code webhook-timestamp} header, or null
     * @param signature the {@code webhook-signature} header, or null
     * @param body      the exact bytes received
     * @param now       the receiver's time
     */
    static SignatureCheck verify(List<byte[]> keys, String id, String timestamp, String signature, byte[] body, Instant now) {
        if (keys.isEmpty()) {
            return SignatureCheck.noSecret();
        }
        if (id == null || id.isEmpty()) {
            return SignatureCheck.invalid("no webhook-id header");
        }
        if (timestamp == null || timestamp.isEmpty()) {
            return SignatureCheck.invalid("no webhook-timestamp header");
        }
        if (signature == null || signature.isBlank()) {
            return SignatureCheck.invalid("no webhook-signature header");
        }
        long seconds;
        try {
            // Digits only: Long.parseLong would also take "+123" or "-5", which no signer sends.
            if (!timestamp.chars().allMatch(c -> c >= '0' && c <= '9') || timestamp.length() > 18) {
                throw new NumberFormatException();
            }
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return SignatureCheck.invalid("webhook-timestamp is not a number of seconds: " + abbreviate(timestamp));
        }
        List<byte[]> offered = v1Signatures(signature);
        if (offered.isEmpty()) {
            return SignatureCheck.invalid("webhook-signature has no v1 signature");
        }
        if (!matchesAny(keys, signedContent(id, timestamp, body), offered)) {
            // Checked before the time on purpose: "too old" then also tells the reader the secret is right.
            return SignatureCheck.invalid("no v1 signature matches the registered secret"
                    + (keys.size() > 1 ? "s (" + keys.size() + ")" : "") + ": body, id, timestamp or secret differ");
        }
        long skew = now.getEpochSecond() - seconds;
        if (Math.abs(skew) > TOLERANCE.toSeconds()) {
            return SignatureCheck.invalid("webhook-timestamp is " + Math.abs(skew) + " s in the "
                    + (skew > 0 ? "past" : "future") + " (tolerance " + TOLERANCE.toSeconds() + " s)");
        }
        return SignatureCheck.valid();
    }

    private static byte[] signedContent(String id, String timestamp, byte[] body) {
        byte[] prefix = (id + '.' + timestamp + '.').getBytes(StandardCharsets.UTF_8);
        byte[] content = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, content, 0, prefix.length);
        System.arraycopy(body, 0, content, prefix.length, body.length);
        return content;
    }

    private static List<byte[]> v1Signatures(String header) {
        List<byte[]> signatures = new ArrayList<>();
        for (String entry : header.trim().split(" +")) {
            if (entry.startsWith("v1,")) {
                try {
                    signatures.add(Base64.getDecoder().decode(entry.substring(3)));
                } catch (IllegalArgumentException e) {
                    // Not base64: it cannot match, and another entry still may.
                }
            }
        }
        return signatures;
    }

    private static boolean matchesAny(List<byte[]> keys, byte[] content, List<byte[]> offered) {
        for (byte[] key : keys) {
            byte[] expected = hmac(key, content);
            for (byte[] candidate : offered) {
                // Constant time, so response timing does not leak how much of a guess was right.
                if (MessageDigest.isEqual(expected, candidate)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static byte[] hmac(byte[] key, byte[] content) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac.doFinal(content);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 24 ? "'" + text + "'" : "'" + text.substring(0, 24) + "…'";
    }
}
