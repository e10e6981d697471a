import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Verifies Callhook webhooks (Standard Webhooks signatures) with the JDK alone. */
public final class WebhookVerifier {

    private static final long TOLERANCE_SECONDS = 5 * 60;

    /**
     * Returns the webhook-id of an authentic webhook; throws SecurityException otherwise.
     *
     * @param secret   the subscription's "whsec_..." secret
     * @param rawQuery the query string exactly as received (servlets: request.getQueryString())
     * @param rawBody  the body bytes as received
     * @param headers  the request's headers, lower-case names
     */
    public static String verify(String secret, String method, String rawQuery, byte[] rawBody,
                                Map<String, String> headers) throws GeneralSecurityException {
        String id = headers.get("webhook-id");
        String timestamp = headers.get("webhook-timestamp");
        if (Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) > TOLERANCE_SECONDS) {
            throw new SecurityException("timestamp too old or too new");
        }
        // POST, PUT and PATCH sign the body; GET has no body and signs the raw query string.
        byte[] payload = method.equals("GET") ? rawQuery.getBytes(StandardCharsets.UTF_8) : rawBody;
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        byte[] expected = mac.doFinal(payload);
        // One "v1,<base64>" per active secret, space-separated: two while a secret is rotated.
        for (String candidate : headers.get("webhook-signature").split(" ")) {
            if (candidate.startsWith("v1,") && MessageDigest.isEqual(expected, decode(candidate.substring(3)))) {
                return id;
            }
        }
        throw new SecurityException("no valid signature");
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException notBase64) {
            return new byte[0];
        }
    }
}
