package io.callhook.testsupport;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a receiver does with a Standard Webhooks request, written from the specification
 * (<a href="https://www.standardwebhooks.com/">standardwebhooks.com</a>, as Svix's libraries
 * implement it) for the receivers of integration tests.
 *
 * <p>It deliberately shares no code with the dispatcher's signer (own HMAC, own secret decoding,
 * own header parsing): a test that signs with one and verifies with the other only proves
 * something if a mistake in one cannot be repeated by the other.
 *
 * <p>Checks, in the order a receiver makes them: the three headers are present (names compared
 * ignoring case, as HTTP does); {@code webhook-timestamp} is an integer within the tolerance of
 * {@code now} either way (replay protection); one of the space-separated {@code v1,<base64>}
 * entries of {@code webhook-signature} is the HMAC-SHA256 of {@code id.timestamp.body} under the
 * secret, compared in constant time. Entries of other versions are ignored, as the spec asks.
 */
public final class StandardWebhooksVerifier {

    /** The spec's suggested tolerance for the timestamp, either side of now. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private static final String ID = "webhook-id";
    private static final String TIMESTAMP = "webhook-timestamp";
    private static final String SIGNATURE = "webhook-signature";

    private StandardWebhooksVerifier() {
    }

    /** Why a request passed or failed verification. */
    public sealed interface Result {

        /** True only for {@link Verified}. */
        default boolean verified() {
            return this instanceof Verified;
        }
    }

    /** Every check passed. */
    public record Verified(String webhookId, long timestamp) implements Result {
    }

    /** A required header is absent. */
    public record MissingHeader(String header) implements Result {
    }

    /** {@code webhook-timestamp} is not an integer number of seconds. */
    public record InvalidTimestamp(String value) implements Result {
    }

    /** {@code webhook-timestamp} is further in the past than the tolerance. */
    public record TimestampTooOld(long timestamp, Instant now) implements Result {
    }

    /** {@code webhook-timestamp} is further in the future than the tolerance. */
    public record TimestampTooNew(long timestamp, Instant now) implements Result {
    }

    /** No {@code v1} signature in the header matches; {@code checked} says how many there were. */
    public record NoMatchingSignature(int checked) implements Result {
    }

    /** Verifies with the {@link #DEFAULT_TOLERANCE}. */
    public static Result verify(Map<String, String> headers, byte[] body, String secret, Instant now) {
        return verify(headers, body, secret, now, DEFAULT_TOLERANCE);
    }

    /**
     * @param headers   the request's headers, any case
     * @param body      the exact bytes received (empty for GET)
     * @param secret    the endpoint's secret, {@code whsec_<base64>} (the prefix is optional, as in
     *                  the reference libraries)
     * @param now       the receiver's clock
     * @param tolerance how far the timestamp may be from {@code now}, either way
     * @throws IllegalArgumentException if the secret is not base64: a bug of the test, not of the request
     */
    public static Result verify(Map<String, String> headers, byte[] body, String secret, Instant now,
                                Duration tolerance) {
        return verify(headers.entrySet(), body, secret, now, tolerance);
    }

    /** Verifies headers given as entries (a Vert.x {@code MultiMap} is one) with the default tolerance. */
    public static Result verify(Iterable<? extends Map.Entry<String, String>> headers, byte[] body, String secret,
                                Instant now) {
        return verify(headers, body, secret, now, DEFAULT_TOLERANCE);
    }

    /** Verifies headers given as entries; the first entry of a repeated header counts. */
    public static Result verify(Iterable<? extends Map.Entry<String, String>> headers, byte[] body, String secret,
                                Instant now, Duration tolerance) {
        Objects.requireNonNull(body, "body");
        byte[] key = keyOf(Objects.requireNonNull(secret, "secret"));
        String id = header(headers, ID);
        String timestamp = header(headers, TIMESTAMP);
        String signatures = header(headers, SIGNATURE);
        if (id == null) {
            return new MissingHeader(ID);
        }
        if (timestamp == null) {
            return new MissingHeader(TIMESTAMP);
        }
        if (signatures == null) {
            return new MissingHeader(SIGNATURE);
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return new InvalidTimestamp(timestamp);
        }
        long skew = seconds - now.getEpochSecond();
        if (skew < -tolerance.getSeconds()) {
            return new TimestampTooOld(seconds, now);
        }
        if (skew > tolerance.getSeconds()) {
            return new TimestampTooNew(seconds, now);
        }
        byte[] expected = expectedSignature(key, id, timestamp.trim(), body);
        int checked = 0;
        for (String entry : signatures.split(" ")) {
            int comma = entry.indexOf(',');
            if (comma < 0 || !entry.substring(0, comma).equals("v1")) {
                continue;
            }
            checked++;
            byte[] given = entry.substring(comma + 1).getBytes(StandardCharsets.US_ASCII);
            if (MessageDigest.isEqual(given, expected)) {
                return new Verified(id, seconds);
            }
        }
        return new NoMatchingSignature(checked);
    }

    private static String header(Iterable<? extends Map.Entry<String, String>> headers, String name) {
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }

    private static byte[] keyOf(String secret) {
        String encoded = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
        return Base64.getDecoder().decode(encoded);
    }

    /** The base64 text of the HMAC, as ASCII bytes, ready for a constant-time comparison. */
    private static byte[] expectedSignature(byte[] key, String id, String timestamp, byte[] body) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
            hmac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            hmac.update(body);
            return Base64.getEncoder().encode(hmac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable or key refused", e);
        }
    }
}
