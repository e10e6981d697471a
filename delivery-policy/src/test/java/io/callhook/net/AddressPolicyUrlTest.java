package io.callhook.net;

import static io.callhook.net.AddressPolicyTest.outcome;
import static io.callhook.net.AddressPolicyTest.refused;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link AddressPolicy#checkUrlHost}: what the subscription API and the stream processor see. */
class AddressPolicyUrlTest {

    private static final AddressPolicy DEMO = AddressPolicy.allowing("127.0.0.0/8,::1/128");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "http://167772161/, PRIVATE",
            "http://0x7f.1/, LOOPBACK",
            "http://0177.0.0.1/, LOOPBACK",
            "http://127.1/, LOOPBACK",
            "http://10.1/, PRIVATE",
            "http://2130706433/, LOOPBACK",
            "http://127.0.0.1./, LOOPBACK",
            "http://169.254.169.254/latest/meta-data/, LINK_LOCAL",
            "http://0/, UNSPECIFIED",
            "http://[::1]/, LOOPBACK",
            "http://[::ffff:10.0.0.1]/, PRIVATE",
            "http://[::ffff:127.0.0.1]/, LOOPBACK",
            "http://[64:ff9b::a00:1]/, PRIVATE",
            "http://[2002:a00:1::]/, PRIVATE",
            "http://[fd00:ec2::254]/, PRIVATE",
            "http://[fe80::1%25eth0]/, INVALID_HOST",
            "http://localhost/, LOOPBACK",
            "http://foo.localhost/, LOOPBACK",
            "http://LOCALHOST./, LOOPBACK",
            "http://localhost:8080/hook, LOOPBACK",
            "http://999.1.1.1/, INVALID_HOST",
            "http://1.2.3.4.5/, INVALID_HOST",
            "ftp://1.1.1.1/, INVALID_HOST",
            "http://93.184.215.14/, ALLOWED",
            "http://1.1.1.1/, ALLOWED",
            "https://[2606:4700:4700::1111]/hook, ALLOWED",
            "https://hooks.example.com/callhook, ALLOWED",
            "http://localhost.example.com/, ALLOWED",
    })
    void strict(String url, String expected) {
        assertThat(outcome(AddressPolicy.STRICT.checkUrlHost(url))).isEqualTo(expected);
    }

    @Test
    void aLeadingZeroReadAsDecimalIsJudgedToo() {
        Verdict verdict = AddressPolicy.STRICT.checkUrlHost("http://010.0.0.1/");

        assertThat(refused(verdict)).isEqualTo(new Verdict.Refused(Category.PRIVATE,
                "the host is 10.0.0.1 to parsers that read leading zeros as decimal, and 10.0.0.1 is a private address (10.0.0.0/8, RFC 1918)"));
        // 0177.0.0.1 is 127.0.0.1 to WHATWG readers: refused for that, whatever 177.0.0.1 is.
        assertThat(refused(AddressPolicy.STRICT.checkUrlHost("http://0177.0.0.1/")).reason())
                .isEqualTo("127.0.0.1 is a loopback address (127.0.0.0/8, RFC 1122)");
    }

    @Test
    void reasonsForUrls() {
        assertThat(refused(AddressPolicy.STRICT.checkUrlHost("http://localhost/")).reason())
                .isEqualTo("localhost is a loopback name (RFC 6761: it always means this host)");
        assertThat(refused(AddressPolicy.STRICT.checkUrlHost("http://[fe80::1%25eth0]/")).reason())
                .isEqualTo("host '[fe80::1%25eth0]' has an IPv6 zone id");
        assertThat(refused(AddressPolicy.STRICT.checkUrlHost("http://0x7f.1/")).reason())
                .isEqualTo("127.0.0.1 is a loopback address (127.0.0.0/8, RFC 1122)");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "http://127.0.0.1:8080/hook, ALLOWED",
            "http://127.1/, ALLOWED",
            "http://[::1]:8080/, ALLOWED",
            "http://[::ffff:127.0.0.1]/, ALLOWED",
            "http://localhost:8080/, ALLOWED",
            "http://foo.localhost/, ALLOWED",
            "http://10.0.0.1/, PRIVATE",
            "http://167772161/, PRIVATE",
            "http://169.254.169.254/, LINK_LOCAL",
            "http://[fe80::1]/, LINK_LOCAL",
            "http://999.1.1.1/, INVALID_HOST",
    })
    void theDemoAllowlist(String url, String expected) {
        assertThat(outcome(DEMO.checkUrlHost(url))).isEqualTo(expected);
    }

    @Test
    void localhostIsAllowedWhenEitherLoopbackAddressIs() {
        assertThat(AddressPolicy.allowing("::1/128").checkUrlHost("http://localhost/").isAllowed()).isTrue();
        assertThat(AddressPolicy.allowing("127.0.0.1/32").checkUrlHost("http://localhost/").isAllowed()).isTrue();
        assertThat(AddressPolicy.allowing("127.0.0.2/32").checkUrlHost("http://localhost/").isAllowed()).isFalse();
    }
}
