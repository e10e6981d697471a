package io.callhook.store.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Account tokens follow API.md exactly, checked against values computed apart from the code under test. */
class AccountTokensTest {

    /**
     * Key "k", account 42, computed outside Java with
     * {@code printf 42 | openssl dgst -sha256 -hmac k -binary | basenc --base64url | tr -d =}.
     */
    private static final String KNOWN = "ak_42_eVUHT1EWnx9kBT2LLEA9f0HufKTz-f4ce4T5EIPyxQo";

    @Test
    void matchesAFixedKnownValue() {
        assertThat(AccountTokens.mint("k", 42)).isEqualTo(KNOWN);
    }

    @Test
    void matchesTheRuleComputedHereWithJavaxCrypto() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("k".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal("42".getBytes(StandardCharsets.UTF_8)));

        assertThat(AccountTokens.mint("k", 42)).isEqualTo("ak_42_" + signature).isEqualTo(KNOWN);
    }

    @Test
    void isUrlSafeAndUnpadded() {
        for (long account = 1; account < 200; account++) {
            assertThat(AccountTokens.mint("key with ünïcode", account))
                    .startsWith("ak_" + account + "_")
                    .matches("ak_[0-9]+_[A-Za-z0-9_-]{43}");
        }
    }

    @Test
    void differsByKeyAndByAccount() {
        assertThat(AccountTokens.mint("k", 42)).isNotEqualTo(AccountTokens.mint("k2", 42));
        assertThat(AccountTokens.mint("k", 42)).isNotEqualTo(AccountTokens.mint("k", 43));
    }

    @Test
    void mintsForAnyIdSoAVerifierCanCompareWhateverItParsed() {
        assertThat(AccountTokens.mint("k", -5)).startsWith("ak_-5_");
        assertThat(AccountTokens.mint("k", Long.MAX_VALUE)).startsWith("ak_" + Long.MAX_VALUE + "_");
    }

    @Test
    void refusesAnEmptyKey() {
        assertThatThrownBy(() -> AccountTokens.mint("", 42))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }
}
