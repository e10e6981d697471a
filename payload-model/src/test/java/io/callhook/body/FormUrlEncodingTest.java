package io.callhook.body;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FormUrlEncodingTest {

    @Test
    void matchesTheWhatwgSerializer() {
        // Expected value produced by Node's URLSearchParams, a WHATWG implementation.
        assertThat(encode("a b*-._~!'()+&=[]\uD83D\uDE00\uD800x"))
                .isEqualTo("a+b*-._%7E%21%27%28%29%2B%26%3D%5B%5D%F0%9F%98%80%EF%BF%BDx");
    }

    @Test
    void keepsAsciiLettersAndDigits() {
        assertThat(encode("AZaz09")).isEqualTo("AZaz09");
    }

    @Test
    void encodesCyrillicAsUtf8() {
        assertThat(encode("Москва")).isEqualTo("%D0%9C%D0%BE%D1%81%D0%BA%D0%B2%D0%B0");
    }

    @Test
    void encodesControlCharactersAndPercent() {
        assertThat(encode("\n\t%")).isEqualTo("%0A%09%25");
    }

    @Test
    void replacesALoneLowSurrogate() {
        assertThat(encode("\uDC00")).isEqualTo("%EF%BF%BD");
    }

    @Test
    void encodesTwoByteCharacters() {
        assertThat(encode("é«")).isEqualTo("%C3%A9%C2%AB");
    }

    private static String encode(String text) {
        StringBuilder out = new StringBuilder();
        FormUrlEncoding.append(out, text);
        return out.toString();
    }
}
