package io.callhook.dispatcher.signing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Base64;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns {@code whsec_<base64>} secret text into HMAC keys, remembering the result: the same few
 * secrets sign every attempt of a subscription, and decoding base64 on each would be waste.
 *
 * <p>Bounded, because rotated secrets stop being used but would otherwise stay in memory for the
 * life of the process. Thread-safe (Caffeine).
 */
final class SigningKeys {

    static final String PREFIX = "whsec_";
    static final String ALGORITHM = "HmacSHA256";

    private final Cache<String, Decoded> cache;

    SigningKeys(long maximumSize) {
        this.cache = Caffeine.newBuilder().maximumSize(maximumSize).build();
    }

    /** The key of a secret, or why there is none. Malformed secrets are remembered too. */
    Decoded decode(String secret) {
        return cache.get(secret, SigningKeys::decodeUncached);
    }

    private static Decoded decodeUncached(String secret) {
        if (!secret.startsWith(PREFIX)) {
            // The prefix is what tells a webhook secret from any other base64 value pasted by mistake.
            return new Decoded(null, "does not start with " + PREFIX);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return new Decoded(null, "is not valid base64 after " + PREFIX);
        }
        if (key.length == 0) {
            return new Decoded(null, "is empty after " + PREFIX);
        }
        return new Decoded(new SecretKeySpec(key, ALGORITHM), null);
    }

    /**
     * A decoded secret: a key, or a problem. A plain class on purpose: a record's generated
     * {@code toString} and {@code hashCode} would reach into the key.
     */
    static final class Decoded {
        private final SecretKeySpec key;
        private final String problem;

        private Decoded(SecretKeySpec key, String problem) {
            this.key = key;
            this.problem = problem;
        }

        /** The key; null when malformed. */
        SecretKeySpec key() {
            return key;
        }

        /** Why the secret is unusable, without its text; null when usable. */
        String problem() {
            return problem;
        }

        @Override
        public String toString() {
            return key != null ? "Decoded[key=******]" : "Decoded[problem=" + problem + "]";
        }
    }
}
