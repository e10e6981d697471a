package io.callhook.net;

import static io.callhook.net.Ips.ip;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UrlHostTest {

    /** Every IPv4 form a lenient resolver accepts, and what it means. */
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "http://167772161/, 10.0.0.1",
            "http://2130706433/, 127.0.0.1",
            "http://0x7f.1/, 127.0.0.1",
            "http://0X7F.0X0.0X0.0X1/, 127.0.0.1",
            "http://0x7f000001/, 127.0.0.1",
            "http://0177.0.0.1/, 127.0.0.1",
            "http://017700000001/, 127.0.0.1",
            "http://127.1/, 127.0.0.1",
            "http://10.1/, 10.0.0.1",
            "http://127.0.1/, 127.0.0.1",
            "http://127.0.0.1./, 127.0.0.1",
            "http://0/, 0.0.0.0",
            "http://0x/, 0.0.0.0",
            "http://4294967295/, 255.255.255.255",
            "http://169.254.169.254/latest/meta-data/, 169.254.169.254",
            "http://user:pass@127.0.0.1:8080/path?q=1#f, 127.0.0.1",
            "https://93.184.215.14/, 93.184.215.14",
            "http://127%2e0%2e0%2e1/, 127.0.0.1",
            "http://%31%32%37.0.0.1/, 127.0.0.1",
            "http://\uff11\uff12\uff17.\uff10.\uff10.\uff11/, 127.0.0.1",
            "http://127\u30020\u30020\u30021/, 127.0.0.1",
            // '?' and '#' end the authority, so the '@' after them is not user info.
            "http://1.1.1.1?@127.0.0.1/, 1.1.1.1",
            "http://127.0.0.1#@1.1.1.1/, 127.0.0.1",
            "http://1.1.1.1:80@127.0.0.1/, 127.0.0.1",
            "http://[::1]@1.1.1.1/, 1.1.1.1",
            "http://1.2.3.0x/, 1.2.3.0",
    })
    void ipv4Literals(String url, String address) {
        UrlHost host = UrlHost.ofUrl(url);

        assertThat(host).isInstanceOf(UrlHost.Literal.class);
        assertThat(((UrlHost.Literal) host).address()).isEqualTo(ip(address));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://10.0.0.1/", "http://0x7f.1/", "http://127.1/", "http://2130706433/", "http://0/"})
    void hostsWithoutALeadingZeroHaveOneReading(String url) {
        assertThat(((UrlHost.Literal) UrlHost.ofUrl(url)).decimalReading()).isEmpty();
    }

    @Test
    void aLeadingZeroIsReadBothWays() {
        UrlHost.Literal literal = (UrlHost.Literal) UrlHost.ofUrl("http://010.0.0.1/");

        assertThat(literal.address()).isEqualTo(ip("8.0.0.1"));
        assertThat(literal.decimalReading()).contains(ip("10.0.0.1"));
        assertThat(literal.readings()).containsExactly(ip("8.0.0.1"), ip("10.0.0.1"));
        assertThat(((UrlHost.Literal) UrlHost.ofUrl("http://0177.0.0.1/")).decimalReading()).contains(ip("177.0.0.1"));
        // Readings that agree are not ambiguous.
        assertThat(((UrlHost.Literal) UrlHost.ofUrl("http://01.02.03.04/")).decimalReading()).isEmpty();
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "http://[::1]/, ::1",
            "http://[0:0:0:0:0:0:0:1]:8080/, ::1",
            "http://[::ffff:10.0.0.1]/, ::ffff:10.0.0.1",
            "http://[::ffff:127.0.0.1]/, ::ffff:127.0.0.1",
            "http://[64:ff9b::a00:1]/, 64:ff9b::a00:1",
            "http://[2002:a00:1::]/, 2002:a00:1::",
            "http://[2606:4700:4700::1111]/, 2606:4700:4700::1111",
            "http://[2606:4700:4700::1111]:443/x, 2606:4700:4700::1111",
            "http://[FE80::1]/, fe80::1",
    })
    void ipv6Literals(String url, String address) {
        UrlHost host = UrlHost.ofUrl(url);

        assertThat(host).isEqualTo(new UrlHost.Literal(ip(address)));
        // Mapped addresses stay IPv6, so reasons show the form that was written.
        assertThat(((UrlHost.Literal) host).address()).isInstanceOf(Inet6Address.class);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "http://example.com/, example.com",
            "HTTPS://Example.COM./path, example.com",
            "http://user@api.example.com:8443/hook, api.example.com",
            "http://b\u00fccher.example/, xn--bcher-kva.example",
            "http://xn--bcher-kva.example/, xn--bcher-kva.example",
            "http://exa_mple.com/, exa_mple.com",
            "http://1.2.3.4.example/, 1.2.3.4.example",
            "http://0x7f.example/, 0x7f.example",
            "http://1.0x7g/, 1.0x7g",
            "http://localhost/, localhost",
            "http://LOCALHOST./, localhost",
            "http://foo.localhost/, foo.localhost",
            "http://\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54/, localhost",
    })
    void names(String url, String name) {
        assertThat(UrlHost.ofUrl(url)).isEqualTo(new UrlHost.Name(name));
    }

    @Test
    void localhostNamesAreKnownByName() {
        assertThat(new UrlHost.Name("localhost").isLocalhost()).isTrue();
        assertThat(new UrlHost.Name("foo.localhost").isLocalhost()).isTrue();
        assertThat(new UrlHost.Name("LocalHost.").isLocalhost()).isTrue();
        assertThat(new UrlHost.Name("localhost.example.com").isLocalhost()).isFalse();
        assertThat(new UrlHost.Name("notlocalhost").isLocalhost()).isFalse();
        assertThat(new UrlHost.Name("localhostx").isLocalhost()).isFalse();
    }

    /** Hosts that end in a number but are not an IPv4 address are invalid, never names. */
    @ParameterizedTest
    @ValueSource(strings = {
            "http://999.1.1.1/", "http://1.2.3.4.5/", "http://256.0.0.1/", "http://1.2.3.256/", "http://1.2.65536/",
            "http://4294967296/", "http://0x100000000/", "http://08.0.0.1/", "http://0x7g.1/",
            "http://example.123/", "http://a.b.c.d.e.f.123/", "http://99999999999999999999/",
            "http://\u0661\u0662\u0667.0.0.1/",
    })
    void numericHostsThatAreNotAddressesAreInvalid(String url) {
        assertThat(UrlHost.ofUrl(url)).isInstanceOf(UrlHost.Invalid.class);
        assertThat(((UrlHost.Invalid) UrlHost.ofUrl(url)).reason()).contains("not a valid IPv4 address");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // IPv6 zone ids, malformed literals
            "http://[fe80::1%25eth0]/", "http://[fe80::1%eth0]/", "http://[::1/", "http://[::1]x/", "http://[1::2::3]/",
            "http://[::ffff:010.0.0.1]/", "http://[v1.fe]/", "http://[]/", "http://[127.0.0.1]/",
            // empty hosts
            "http:///", "http://", "http://:80/", "http://user@/", "http://?x", "http://#x", "http://./", "http://../",
            // where parsers disagree about the host
            "http://evil.example\\@127.0.0.1/", "http:\\\\127.0.0.1/", "http://a@b@127.0.0.1/", "http:/127.0.0.1/",
            "http:127.0.0.1", "http:///127.0.0.1/", "http://127.0.0.1 /", "http://12\t7.0.0.1/", " http://1.1.1.1/",
            // schemes
            "ftp://1.1.1.1/", "file:///etc/passwd", "gopher://127.0.0.1/", "//1.1.1.1/", "1.1.1.1", "",
            // ports
            "http://1.1.1.1:65536/", "http://1.1.1.1:80:80/", "http://1.1.1.1:-1/", "http://1.1.1.1:8o/",
            // characters no host name has
            "http://exa%20mple.com/", "http://ex%zzample.com/", "http://ex%4/", "http://x%00y/", "http://a%C3/",
            "http://a!b.com/", "http://a..b/", "http://1..2.3/", "http://a*b.com/", "http://a_b.c_d./x\u0000",
    })
    void invalidUrls(String url) {
        assertThat(UrlHost.ofUrl(url)).isInstanceOf(UrlHost.Invalid.class);
    }

    @Test
    void aNullUrlIsInvalid() {
        assertThat(UrlHost.ofUrl(null)).isInstanceOf(UrlHost.Invalid.class);
        assertThat(UrlHost.ofHost(null)).isInstanceOf(UrlHost.Invalid.class);
    }

    @Test
    void invalidReasonsQuoteTheTextSafely() {
        assertThat(((UrlHost.Invalid) UrlHost.ofUrl("http://[fe80::1%25eth0]/")).reason())
                .isEqualTo("host '[fe80::1%25eth0]' has an IPv6 zone id");
        assertThat(((UrlHost.Invalid) UrlHost.ofUrl("http://999.1.1.1/")).reason())
                .isEqualTo("host '999.1.1.1' ends in a number but is not a valid IPv4 address");
        assertThat(((UrlHost.Invalid) UrlHost.ofUrl("http://\u202e1.2.3.999/")).reason())
                .startsWith("host '\\u202E1.2.3.999'");
        assertThat(((UrlHost.Invalid) UrlHost.ofUrl("ftp://" + "a".repeat(500))).reason())
                .hasSizeLessThan(200);
    }

    @Test
    void aHostCanBeReadWithoutItsUrl() {
        assertThat(UrlHost.ofHost("[::1]")).isEqualTo(new UrlHost.Literal(ip("::1")));
        assertThat(UrlHost.ofHost("0x7f.1")).isEqualTo(new UrlHost.Literal(ip("127.0.0.1")));
        assertThat(UrlHost.ofHost("Example.com")).isEqualTo(new UrlHost.Name("example.com"));
        assertThat(UrlHost.ofHost("")).isInstanceOf(UrlHost.Invalid.class);
    }

    @Test
    void aNameAtTheLengthLimitIsANameAndOneLongerIsNot() {
        String label = "a".repeat(63);
        String name253 = label + "." + label + "." + label + "." + "a".repeat(61);

        assertThat(UrlHost.ofHost(name253)).isEqualTo(new UrlHost.Name(name253));
        assertThat(UrlHost.ofHost(name253 + "a")).isInstanceOf(UrlHost.Invalid.class);
        assertThat(UrlHost.ofHost("a".repeat(64) + ".com")).isInstanceOf(UrlHost.Invalid.class);
    }

    @Test
    void literalAddressesAreBuiltFromBytes() {
        InetAddress address = ((UrlHost.Literal) UrlHost.ofUrl("http://167772161/")).address();

        assertThat(address.getAddress()).containsExactly(10, 0, 0, 1);
    }
}
