package io.callhook.body;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueryStringsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "https://h.example/p,                 https://h.example/p?a=1&b=",
            "https://h.example/p?x=y,             https://h.example/p?x=y&a=1&b=",
            "https://h.example/p?,                https://h.example/p?a=1&b=",
            "https://h.example/p?x=y&,            https://h.example/p?x=y&a=1&b=",
            "https://h.example/p#top,             https://h.example/p?a=1&b=#top",
            "https://h.example/p?x=y#top?z,       https://h.example/p?x=y&a=1&b=#top?z",
            "https://h.example/p#,                https://h.example/p?a=1&b=#"})
    void addsPairsToTheQueryBeforeAnyFragment(String url, String expected) {
        assertThat(QueryStrings.withPairs(url, "a=1&b=")).isEqualTo(expected);
    }

    @Test
    void noPairsLeaveTheUrlAlone() {
        assertThat(QueryStrings.withPairs("https://h.example/p#f", "")).isEqualTo("https://h.example/p#f");
    }
}
