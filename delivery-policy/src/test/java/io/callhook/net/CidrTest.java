package io.callhook.net;

import static io.callhook.net.Ips.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrTest {

    @Test
    void anIpv4RangeHoldsItsAddressesOnly() {
        Cidr range = Cidr.parse("172.16.0.0/12");

        assertThat(range.contains(ip("172.16.0.0"))).isTrue();
        assertThat(range.contains(ip("172.31.255.255"))).isTrue();
        assertThat(range.contains(ip("172.15.255.255"))).isFalse();
        assertThat(range.contains(ip("172.32.0.0"))).isFalse();
        assertThat(range.contains(ip("::ffff:172.16.0.1"))).isFalse();
        assertThat(range.prefixLength()).isEqualTo(12);
        assertThat(range.isIpv4()).isTrue();
    }

    @Test
    void anIpv6RangeHoldsItsAddressesOnly() {
        Cidr range = Cidr.parse("fe80::/10");

        assertThat(range.contains(ip("fe80::"))).isTrue();
        assertThat(range.contains(ip("febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff"))).isTrue();
        assertThat(range.contains(ip("fec0::"))).isFalse();
        assertThat(range.contains(ip("128.0.0.1"))).isFalse();
        assertThat(range.isIpv4()).isFalse();
    }

    @Test
    void extremePrefixLengths() {
        assertThat(Cidr.parse("0.0.0.0/0").contains(ip("255.255.255.255"))).isTrue();
        assertThat(Cidr.parse("::/0").contains(ip("::1"))).isTrue();
        assertThat(Cidr.parse("::/0").contains(ip("1.1.1.1"))).isFalse();
        assertThat(Cidr.parse("::1/128").contains(ip("::1"))).isTrue();
        assertThat(Cidr.parse("::1/128").contains(ip("::2"))).isFalse();
        assertThat(Cidr.parse("10.0.0.1/32").contains(ip("10.0.0.2"))).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
            "127.0.0.0/8, 127.0.0.0/8",
            "::1/128, ::1/128",
            "FC00::/7, fc00::/7",
            "2001:0db8:0000:0000:0000:0000:0000:0000/32, 2001:db8::/32",
            "::ffff:0.0.0.0/96, ::ffff:0.0.0.0/96",
    })
    void printsTheCanonicalForm(String text, String canonical) {
        assertThat(Cidr.parse(text)).hasToString(canonical);
        assertThat(Cidr.parse(canonical)).isEqualTo(Cidr.parse(text)).hasSameHashCodeAs(Cidr.parse(text));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "10.0.0.0| missing '/' and prefix length",
            "10.0.0.0/| prefix length '' is not a number from 0 to 32",
            "10.0.0.0/33| prefix length '33' is not a number from 0 to 32",
            "::/129| prefix length '129' is not a number from 0 to 128",
            "10.0.0.0/-1| prefix length '-1' is not a number from 0 to 32",
            "10.0.0.0/08| prefix length '08' is not a number from 0 to 32",
            "10.0.0.0/8/8| prefix length '8/8' is not a number from 0 to 32",
            "10.0.0.0/ 8| prefix length ' 8' is not a number from 0 to 32",
            "10.0.0.0/eight| prefix length 'eight' is not a number from 0 to 32",
            "10.0.0.300/32| '10.0.0.300' is not an IPv4 address",
            "10.0.0/24| '10.0.0' is not an IPv4 address",
            "010.0.0.0/8| '010.0.0.0' is not an IPv4 address",
            "0x7f.0.0.0/8| '0x7f.0.0.0' is not an IPv4 address",
            "localhost/8| 'localhost' is not an IPv4 address",
            "/8| '' is not an IPv4 address",
            "[::1]/128| '[::1]' is not an IPv4 address",
            "fe80::1%eth0/128| 'fe80::1%eth0' is not an IPv4 address",
            "1::2::3/64| '1::2::3' is not an IPv4 address",
            "10.0.0.1/8| bits are set after the prefix; did you mean 10.0.0.0/8?",
            "fe80::1/10| bits are set after the prefix; did you mean fe80::/10?",
    })
    void refusesInvalidTextNamingIt(String text, String problem) {
        assertThatThrownBy(() -> Cidr.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid CIDR '" + text + "': " + problem);
    }

    @Test
    void parsesAList() {
        assertThat(Cidr.parseList("127.0.0.0/8, ::1/128"))
                .containsExactly(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128"));
        assertThat(Cidr.parseList("")).isEmpty();
        assertThat(Cidr.parseList(null)).isEmpty();
    }

    @Test
    void aListNamesItsBadEntry() {
        assertThatThrownBy(() -> Cidr.parseList("127.0.0.0/8,10.0.0.0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'10.0.0.0'");
        assertThatThrownBy(() -> Cidr.parseList("127.0.0.0/8,,::1/128"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid CIDR list '127.0.0.0/8,,::1/128': empty entry");
    }
}
