package io.callhook.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.duration.DurationText;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ParsersTest {

    enum Format { JSON, FORM }

    @Test
    void nonBlankRefusesEmpty() {
        assertThat(Parsers.nonBlank().parse("x")).isEqualTo(Parsed.ok("x"));
        assertThat(Parsers.nonBlank().parse("")).isEqualTo(Parsed.invalid("must not be blank"));
    }

    @ParameterizedTest
    @CsvSource({"1,1", "65535,65535", "+8080,8080"})
    void intInRangeAcceptsBounds(String raw, int expected) {
        assertThat(Parsers.intInRange(1, 65535).parse(raw)).isEqualTo(Parsed.ok(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "65536", "abc", "80.5", "", "99999999999999999999"})
    void intInRangeRefusesWithTheRange(String raw) {
        assertThat(Parsers.intInRange(1, 65535).parse(raw))
                .isEqualTo(Parsed.invalid("is not an integer between 1 and 65535"));
    }

    @Test
    void longInRange() {
        assertThat(Parsers.longInRange(0, Long.MAX_VALUE).parse("9000000000")).isEqualTo(Parsed.ok(9_000_000_000L));
        assertThat(Parsers.longInRange(0, 10).parse("-1")).isEqualTo(Parsed.invalid("is not an integer between 0 and 10"));
    }

    @Test
    void boolAcceptsOnlyTrueAndFalse() {
        assertThat(Parsers.bool().parse("true")).isEqualTo(Parsed.ok(true));
        assertThat(Parsers.bool().parse("false")).isEqualTo(Parsed.ok(false));
        for (String raw : List.of("yes", "1", "TRUE", "on", "")) {
            assertThat(Parsers.bool().parse(raw)).as(raw).isEqualTo(Parsed.invalid("is not true or false"));
        }
    }

    @ParameterizedTest
    @CsvSource({"500ms,PT0.5S", "5s,PT5S", "2m,PT2M", "1h,PT1H", "0s,PT0S", "PT5S,PT5S", "pt1m30s,PT1M30S",
            "P1DT2H,PT26H"})
    void durationFormats(String raw, String iso) {
        assertThat(Parsers.duration().parse(raw)).isEqualTo(Parsed.ok(Duration.parse(iso)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "5 s", "1.5s", "5sec", "-5s", "1d", "PT", "", "s"})
    void durationRefusesOtherForms(String raw) {
        assertThat(Parsers.duration().parse(raw)).isEqualTo(Parsed.invalid("is not a duration (" + DurationText.EXPECTED + ")"));
    }

    @Test
    void durationRefusesNegativeIsoAndOverflow() {
        assertThat(Parsers.duration().parse("PT-5S")).isEqualTo(Parsed.invalid("is a negative duration"));
        assertThat(Parsers.duration().parse("999999999999999999h")).isEqualTo(Parsed.invalid("is too long a duration"));
    }

    @Test
    void enumIgnoresCase() {
        assertThat(Parsers.enumOf(Format.class).parse("form")).isEqualTo(Parsed.ok(Format.FORM));
        assertThat(Parsers.enumOf(Format.class).parse("JSON")).isEqualTo(Parsed.ok(Format.JSON));
        assertThat(Parsers.enumOf(Format.class).parse("xml")).isEqualTo(Parsed.invalid("is not one of [JSON, FORM]"));
    }

    @Test
    void stringListTrimsAndDropsEmptyEntries() {
        assertThat(Parsers.stringList().parse("a, b ,,c,")).isEqualTo(Parsed.ok(List.of("a", "b", "c")));
        assertThat(Parsers.stringList().parse("")).isEqualTo(Parsed.ok(List.of()));
    }

    @Test
    void hostPortList() {
        assertThat(Parsers.hostPortList().parse("kafka-1:9092, 10.0.0.2:9093,[::1]:9094"))
                .isEqualTo(Parsed.ok(List.of(new HostPort("kafka-1", 9092), new HostPort("10.0.0.2", 9093),
                        new HostPort("[::1]", 9094))));
        assertThat(HostPort.join(List.of(new HostPort("a", 1), new HostPort("[::1]", 2)))).isEqualTo("a:1,[::1]:2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"kafka-1", "kafka-1:", ":9092", "kafka-1:0", "kafka-1:70000", "::1:9092", "ka fka:9092",
            "kafka-1:x"})
    void hostPortListNamesTheBadEntry(String entry) {
        assertThat(Parsers.hostPortList().parse("ok:1," + entry)).isEqualTo(Parsed.invalid(
                "is not a comma-separated list of host:port (bad entry '" + entry
                        + "', expected e.g. kafka-1:9092 or [::1]:9092)"));
    }

    @Test
    void hostPortListMustNotBeEmpty() {
        assertThat(Parsers.hostPortList().parse(" , "))
                .isEqualTo(Parsed.invalid("is not a comma-separated list of host:port (it is empty)"));
    }

    @Test
    void httpUrl() {
        assertThat(Parsers.httpUrl().parse("https://hooks.example.com/x?y=1"))
                .isEqualTo(Parsed.ok(URI.create("https://hooks.example.com/x?y=1")));
        assertThat(Parsers.httpUrl().parse("HTTP://127.0.0.1:8081")).isEqualTo(Parsed.ok(URI.create("HTTP://127.0.0.1:8081")));
        for (String raw : List.of("ftp://x", "/relative", "http://", "http//x", "not a url", "")) {
            assertThat(Parsers.httpUrl().parse(raw)).as(raw)
                    .isEqualTo(Parsed.invalid("is not an absolute http(s) URL (e.g. http://127.0.0.1:8081)"));
        }
    }

    @Test
    void path() {
        assertThat(Parsers.path().parse("/var/lib/geo/GeoLite2-City.mmdb"))
                .isEqualTo(Parsed.ok(Path.of("/var/lib/geo/GeoLite2-City.mmdb")));
        assertThat(Parsers.path().parse("")).isEqualTo(Parsed.invalid("must not be blank"));
        assertThat(Parsers.path().parse("a\0b")).isInstanceOf(Parsed.Invalid.class);
    }
}
