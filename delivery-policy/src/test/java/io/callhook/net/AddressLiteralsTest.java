package io.callhook.net;

import static io.callhook.net.Ips.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The text parsers and the formatter, checked byte by byte (other tests build addresses with them). */
class AddressLiteralsTest {

    @Test
    void readsIpv6Forms() {
        assertThat(Ipv6Literal.parse("::")).hasValueSatisfying(b -> assertThat(b).isEqualTo(new byte[16]));
        assertThat(Ipv6Literal.parse("::1")).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)));
        assertThat(Ipv6Literal.parse("1::")).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes(0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)));
        assertThat(Ipv6Literal.parse("2001:DB8::ff00:42:8329")).hasValueSatisfying(b -> assertThat(b)
                .isEqualTo(bytes(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0xff, 0x00, 0x00, 0x42, 0x83, 0x29)));
        assertThat(Ipv6Literal.parse("1:2:3:4:5:6:7:8")).hasValueSatisfying(b -> assertThat(b)
                .isEqualTo(bytes(0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8)));
        assertThat(Ipv6Literal.parse("::ffff:10.0.0.1")).hasValueSatisfying(b -> assertThat(b)
                .isEqualTo(bytes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1)));
        assertThat(Ipv6Literal.parse("1:2:3:4:5:6:1.2.3.4")).hasValueSatisfying(b -> assertThat(b)
                .isEqualTo(bytes(0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 1, 2, 3, 4)));
        // "::" may stand for a single zero group (RFC 4291), though RFC 5952 does not print it so.
        assertThat(Ipv6Literal.parse("1:2:3:4:5:6:7::")).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":", ":::", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8::",
            "12345::", "g::", ":1::", "::1:", "1.2.3.4", "1.2.3.4::", "::1.2.3.4:5", "::1.2.3", "::01.2.3.4", "::256.0.0.1",
            "::1%eth0", "[::1]", " ::1", "1:2:3:4:5:6:7:1.2.3.4"})
    void refusesBadIpv6(String text) {
        assertThat(Ipv6Literal.parse(text)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.256", "1.2.3.-1", "1.2.3.", "0x1.2.3.4", "1.2.3.+4", ""})
    void aDottedQuadIsStrict(String text) {
        assertThat(Ipv4Literal.parseDottedQuad(text)).isEmpty();
    }

    @Test
    void theLenientParserFollowsWhatwg() {
        assertThat(Ipv4Literal.parseLenient(List.of("0xc0", "0250", "1"))).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes(192, 168, 0, 1)));
        assertThat(Ipv4Literal.parseLenient(List.of("192", "11010049"))).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes(192, 168, 0, 1)));
        assertThat(Ipv4Literal.parseLenient(List.of("255", "255", "255", "255"))).isPresent();
        assertThat(Ipv4Literal.parseLenient(List.of("1", "2", "3", "4", "5"))).isEmpty();
        assertThat(Ipv4Literal.parseLenient(List.of("1", "", "3"))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
            "::, ::", "0:0:0:0:0:0:0:1, ::1", "1:0:0:0:0:0:0:0, 1::", "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
            "2001:0:0:1:0:0:0:1, 2001:0:0:1::1", "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
            "FE80:0:0:0:0:0:0:1, fe80::1", "0:0:0:0:0:ffff:a00:1, ::ffff:10.0.0.1", "64:ff9b:0:0:0:0:a00:1, 64:ff9b::a00:1",
    })
    void formatsIpv6AsRfc5952(String text, String canonical) {
        assertThat(AddressText.format(Ipv6Literal.parse(text).orElseThrow())).isEqualTo(canonical);
    }
}
