package io.callhook.dispatcher.signing;

import io.callhook.model.SigningSecret;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook requests the Standard Webhooks way (as Svix does): for each active secret,
 * {@code v1,} + base64 of HMAC-SHA256 over {@code <webhook-id>.<timestamp>.<body bytes>}, keyed
 * by the base64-decoded part of the secret after {@code whsec_}.
 *
 * <p><b>Rotation.</b> Every secret that is active at the signing time signs, so while a secret is
 * rotated receivers holding either the old or the new one can verify. A secret is active when its
 * {@code expiresAt} is null or after the timestamp; {@code createdAt} is not consulted, since a
 * secret is only published to the subscription once the customer has it. Signatures are ordered
 * current first: secrets without an expiry, then the one expiring last, ties in list order.
 *
 * <p><b>Cost.</b> It runs once per delivery attempt, so decoded keys are cached (bounded) and each
 * thread keeps one {@link Mac}, re-keyed only when the secret changes; the body is fed to the MAC
 * without being copied.
 *
 * <p>Thread-safe. It never logs, and no result or exception it produces contains secret text.
 */
public final class WebhookSigner {

    /** Decoded keys kept by the no-argument constructor: far more than the secrets in use at once. */
    public static final long DEFAULT_CACHED_KEYS = 10_000;

    private static final String VERSION = "v1,";
    private static final Base64.Encoder BASE64 = Base64.getEncoder();

    // Mac is not thread-safe and getInstance walks the provider list, so each thread keeps one.
    // The dispatcher signs on a few long-lived event-loop threads, where this stays small.
    private static final ThreadLocal<ThreadMac> MACS = ThreadLocal.withInitial(ThreadMac::new);

    private final SigningKeys keys;

    /** A signer caching up to {@link #DEFAULT_CACHED_KEYS} decoded keys. */
    public WebhookSigner() {
        this(DEFAULT_CACHED_KEYS);
    }

    /**
     * @param cachedKeys how many decoded secrets to keep; at least 1
     */
    public WebhookSigner(long cachedKeys) {
        if (cachedKeys < 1) {
            throw new IllegalArgumentException("cachedKeys must be at least 1, was " + cachedKeys);
        }
        this.keys = new SigningKeys(cachedKeys);
    }

    /**
     * Signs a request body held in an array.
     *
     * @see #sign(String, long, ByteBuffer, List)
     */
    public SigningResult sign(String webhookId, long timestamp, byte[] body, List<SigningSecret> secrets) {
        Objects.requireNonNull(body, "body");
        return sign(webhookId, timestamp, ByteBuffer.wrap(body), secrets);
    }

    /**
     * Signs a request body held in a buffer, as Avro gives {@code WebhookRequest.body}. The bytes
     * between the buffer's position and limit are signed; the buffer itself is not moved.
     *
     * @param webhookId the {@code webhook-id}: non-empty
     * @param timestamp the {@code webhook-timestamp}, epoch seconds of this attempt: not negative.
     *                  Each attempt signs with its own time, because receivers reject timestamps
     *                  older than a few minutes.
     * @param body      the exact bytes that will be sent; empty for GET
     * @param secrets   the subscription's secrets
     * @return the headers, or {@link SigningResult.NoActiveSecret} /
     *         {@link SigningResult.MalformedSecret} when the subscription cannot be signed for
     * @throws IllegalArgumentException if {@code webhookId} is empty or {@code timestamp} negative
     *                                  (caller bugs, not subscription data)
     */
    public SigningResult sign(String webhookId, long timestamp, ByteBuffer body, List<SigningSecret> secrets) {
        Objects.requireNonNull(webhookId, "webhookId");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(secrets, "secrets");
        if (webhookId.isEmpty()) {
            throw new IllegalArgumentException("webhookId must not be empty");
        }
        if (timestamp < 0) {
            throw new IllegalArgumentException("timestamp must not be negative, was " + timestamp);
        }
        int[] active = ActiveSecrets.at(secrets, Instant.ofEpochSecond(timestamp));
        if (active.length == 0) {
            return new SigningResult.NoActiveSecret(secrets.size());
        }
        SecretKeySpec[] signingKeys = new SecretKeySpec[active.length];
        for (int i = 0; i < active.length; i++) {
            SigningKeys.Decoded decoded = keys.decode(secrets.get(active[i]).getSecret());
            if (decoded.key() == null) {
                return new SigningResult.MalformedSecret(active[i], decoded.problem());
            }
            signingKeys[i] = decoded.key();
        }
        String signature = signatures(signedPrefix(webhookId, timestamp), body, signingKeys);
        return new SigningResult.Signed(new SignatureHeaders(webhookId, timestamp, signature));
    }

    private static byte[] signedPrefix(String webhookId, long timestamp) {
        return (webhookId + '.' + timestamp + '.').getBytes(StandardCharsets.UTF_8);
    }

    private static String signatures(byte[] prefix, ByteBuffer body, SecretKeySpec[] signingKeys) {
        // 44 base64 characters per 32-byte HMAC, plus "v1," and a separating space.
        StringBuilder header = new StringBuilder(signingKeys.length * 48);
        ThreadMac threadMac = MACS.get();
        for (SecretKeySpec key : signingKeys) {
            Mac mac = threadMac.keyedWith(key);
            mac.update(prefix);
            mac.update(body.duplicate()); // duplicate: update() advances the buffer it reads
            if (header.length() > 0) {
                header.append(' ');
            }
            header.append(VERSION).append(BASE64.encodeToString(mac.doFinal()));
        }
        return header.toString();
    }

    /** One thread's HMAC engine and the key it was last initialised with. */
    private static final class ThreadMac {
        private final Mac mac;
        private SecretKeySpec key;

        ThreadMac() {
            try {
                mac = Mac.getInstance(SigningKeys.ALGORITHM);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JVM has " + SigningKeys.ALGORITHM, e);
            }
        }

        Mac keyedWith(SecretKeySpec wanted) {
            if (wanted == key) {
                // doFinal() already resets; this only matters if an earlier call died half-way.
                mac.reset();
                return mac;
            }
            try {
                mac.init(wanted);
            } catch (InvalidKeyException e) {
                // Unreachable: HMAC accepts any non-empty key, and SigningKeys refuses empty ones.
                throw new IllegalStateException("HMAC refused a non-empty key", e);
            }
            key = wanted;
            return mac;
        }
    }
}
