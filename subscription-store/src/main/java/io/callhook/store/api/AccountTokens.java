package io.callhook.store.api;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Account tokens as API.md defines them: {@code "ak_" + accountId + "_" + signature}, where the
 * signature is the unpadded base64url HMAC-SHA256 of the decimal account id (UTF-8) under the
 * token key (UTF-8).
 *
 * <p>The CLI mints tokens with it and the store verifies a token by minting it again and comparing
 * the two in constant time, so the rule lives in one place and nothing is stored.
 */
public final class AccountTokens {

    /** What every account token starts with. */
    public static final String PREFIX = "ak_";

    private static final String ALGORITHM = "HmacSHA256";

    private AccountTokens() {
    }

    /**
     * The token of an account.
     *
     * <p>Any {@code long} is accepted, so a verifier may mint for whatever id it parsed from a
     * presented token and let the comparison fail; whether an id is a real account is the
     * caller's business.
     *
     * @param key the token key ({@code callhook.store.token-key}); must not be empty
     * @param accountId the account, written in decimal without leading zeros or sign for positives
     * @throws IllegalArgumentException if the key is empty (an empty HMAC key would sign for anyone
     *     who guesses it)
     */
    public static String mint(String key, long accountId) {
        if (key.isEmpty()) {
            throw new IllegalArgumentException("the token key is empty");
        }
        String account = Long.toString(accountId);
        byte[] signature = hmac(key.getBytes(StandardCharsets.UTF_8), account.getBytes(StandardCharsets.UTF_8));
        return PREFIX + account + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    }

    private static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac.doFinal(message);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            // Every Java platform must provide HmacSHA256, and any non-empty key suits it.
            throw new IllegalStateException(ALGORITHM + " is unavailable", e);
        }
    }
}
