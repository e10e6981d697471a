package io.callhook.net;

import static io.callhook.net.Ips.bytes;
import static io.callhook.net.Ips.ip;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressPolicyTest {

    private static final String ALLOWED = "ALLOWED";

    /** First and last address of every refused IPv4 block, and the neighbours just outside it. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "0.0.0.0, UNSPECIFIED", "0.255.255.255, UNSPECIFIED", "1.0.0.0, ALLOWED",
            "9.255.255.255, ALLOWED", "10.0.0.0, PRIVATE", "10.255.255.255, PRIVATE", "11.0.0.0, ALLOWED",
            "100.63.255.255, ALLOWED", "100.64.0.0, SHARED", "100.127.255.255, SHARED", "100.128.0.0, ALLOWED",
            "126.255.255.255, ALLOWED", "127.0.0.0, LOOPBACK", "127.0.0.1, LOOPBACK", "127.255.255.255, LOOPBACK", "128.0.0.0, ALLOWED",
            "169.253.255.255, ALLOWED", "169.254.0.0, LINK_LOCAL", "169.254.169.254, LINK_LOCAL", "169.254.255.255, LINK_LOCAL", "169.255.0.0, ALLOWED",
            "172.15.255.255, ALLOWED", "172.16.0.0, PRIVATE", "172.31.255.255, PRIVATE", "172.32.0.0, ALLOWED",
            "191.255.255.255, ALLOWED", "192.0.0.0, RESERVED", "192.0.0.255, RESERVED", "192.0.1.0, ALLOWED",
            "192.0.1.255, ALLOWED", "192.0.2.0, RESERVED", "192.0.2.255, RESERVED", "192.0.3.0, ALLOWED",
            "192.88.98.255, ALLOWED", "192.88.99.0, RESERVED", "192.88.99.255, RESERVED", "192.88.100.0, ALLOWED",
            "192.167.255.255, ALLOWED", "192.168.0.0, PRIVATE", "192.168.255.255, PRIVATE", "192.169.0.0, ALLOWED",
            "198.17.255.255, ALLOWED", "198.18.0.0, RESERVED", "198.19.255.255, RESERVED", "198.20.0.0, ALLOWED",
            "198.51.99.255, ALLOWED", "198.51.100.0, RESERVED", "198.51.100.255, RESERVED", "198.51.101.0, ALLOWED",
            "203.0.112.255, ALLOWED", "203.0.113.0, RESERVED", "203.0.113.255, RESERVED", "203.0.114.0, ALLOWED",
            "223.255.255.255, ALLOWED", "224.0.0.0, MULTICAST", "239.255.255.255, MULTICAST",
            "240.0.0.0, RESERVED", "255.255.255.254, RESERVED", "255.255.255.255, RESERVED",
            "93.184.215.14, ALLOWED", "1.1.1.1, ALLOWED", "8.8.8.8, ALLOWED",
            // Globally reachable special-purpose blocks (AS112, AMT) are public Internet.
            "192.31.196.1, ALLOWED", "192.52.193.1, ALLOWED", "192.175.48.1, ALLOWED",
    })
    void ipv4Blocks(String address, String expected) {
        assertThat(outcome(AddressPolicy.STRICT.check(ip(address)))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "::, UNSPECIFIED", "::1, LOOPBACK",
            "fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, RESERVED", "fc00::, PRIVATE", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, PRIVATE",
            "fd00:ec2::254, PRIVATE",
            "fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff, RESERVED", "fe80::, LINK_LOCAL", "fe80::1, LINK_LOCAL",
            "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff, LINK_LOCAL",
            "fec0::, RESERVED", "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, RESERVED",
            "ff00::, MULTICAST", "ff02::1, MULTICAST", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, MULTICAST",
            "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff, ALLOWED", "2001:db8::, RESERVED",
            "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff, RESERVED", "2001:db9::, ALLOWED",
            "2000:ffff:ffff:ffff:ffff:ffff:ffff:ffff, ALLOWED", "2001::, RESERVED", "2001:0:4136:e378:8000:63bf:3fff:fdd2, RESERVED",
            "2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff, RESERVED", "2001:200::, ALLOWED",
            "3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff, ALLOWED", "3fff::, RESERVED", "3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff, RESERVED", "3fff:1000::, ALLOWED",
            "1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, RESERVED", "2000::, ALLOWED", "3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, ALLOWED", "4000::, RESERVED",
            "100::, RESERVED", "100::ffff:ffff:ffff:ffff, RESERVED", "100:0:0:1::, RESERVED", "5f00::1, RESERVED",
            "64:ff9b:1::1, PRIVATE", "64:ff9b:1:ffff:ffff:ffff:ffff:ffff, PRIVATE",
            "2606:4700:4700::1111, ALLOWED", "2a00:1450:4001:80b::200e, ALLOWED", "2620:4f:8000::1, ALLOWED",
    })
    void ipv6Blocks(String address, String expected) {
        assertThat(outcome(AddressPolicy.STRICT.check(ip(address)))).isEqualTo(expected);
    }

    /** IPv6 addresses that carry an IPv4 address are judged as that address. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "::ffff:10.0.0.1, PRIVATE", "::ffff:127.0.0.1, LOOPBACK", "::ffff:169.254.169.254, LINK_LOCAL", "::ffff:1.1.1.1, ALLOWED",
            "::ffff:0.0.0.0, UNSPECIFIED", "::ffff:255.255.255.255, RESERVED",
            "::10.0.0.1, PRIVATE", "::127.0.0.1, LOOPBACK", "::2, UNSPECIFIED", "::1.1.1.1, ALLOWED",
            "::ffff:0:10.0.0.1, PRIVATE", "::ffff:0:1.1.1.1, ALLOWED",
            "64:ff9b::a00:1, PRIVATE", "64:ff9b::7f00:1, LOOPBACK", "64:ff9b::a9fe:a9fe, LINK_LOCAL", "64:ff9b::101:101, ALLOWED",
            "2002:a00:1::, PRIVATE", "2002:7f00:1::1, LOOPBACK", "2002:a9fe:a9fe::, LINK_LOCAL", "2002:c0a8:101:1::1, PRIVATE",
            "2002:101:101::, ALLOWED", "2002:5db8:d70e::1, ALLOWED",
    })
    void embeddedIpv4(String address, String expected) {
        assertThat(outcome(AddressPolicy.STRICT.check(ip(address)))).isEqualTo(expected);
    }

    @Test
    void reasonsNameTheAddressAndTheCategory() {
        assertThat(refused(AddressPolicy.STRICT.check(ip("10.0.0.1"))))
                .isEqualTo(new Verdict.Refused(Category.PRIVATE, "10.0.0.1 is a private address (10.0.0.0/8, RFC 1918)"));
        assertThat(refused(AddressPolicy.STRICT.check(ip("169.254.169.254"))).reason())
                .isEqualTo("169.254.169.254 is a link-local address (169.254.169.254/32, the cloud instance metadata service)");
        assertThat(refused(AddressPolicy.STRICT.check(ip("0:0:0:0:0:0:0:1"))).reason())
                .isEqualTo("::1 is a loopback address (::1/128, RFC 4291)");
        assertThat(refused(AddressPolicy.STRICT.check(ip("2001:0:4136:e378:8000:63bf:3fff:fdd2"))).reason())
                .isEqualTo("2001:0:4136:e378:8000:63bf:3fff:fdd2 is a reserved address (2001::/32, Teredo tunnelling, RFC 4380)");
        assertThat(refused(AddressPolicy.STRICT.check(ip("4000::1"))).reason())
                .isEqualTo("4000::1 is a reserved address (outside 2000::/3, the only IPv6 space allocated for global unicast)");
        assertThat(refused(AddressPolicy.STRICT.check(ip("100.100.100.200"))).reason())
                .isEqualTo("100.100.100.200 is a shared (carrier-grade NAT) address (100.64.0.0/10, RFC 6598)");
    }

    @Test
    void reasonsOfEmbeddedAddressesNameBothForms() {
        assertThat(refused(AddressPolicy.STRICT.check(ip("::ffff:10.0.0.1"))).reason())
                .isEqualTo("::ffff:10.0.0.1 is a private address (IPv4-mapped 10.0.0.1: 10.0.0.0/8, RFC 1918)");
        assertThat(refused(AddressPolicy.STRICT.check(ip("64:ff9b::a00:1"))).reason())
                .isEqualTo("64:ff9b::a00:1 is a private address (NAT64 10.0.0.1: 10.0.0.0/8, RFC 1918)");
        assertThat(refused(AddressPolicy.STRICT.check(ip("2002:a00:1::"))).reason())
                .isEqualTo("2002:a00:1:: is a private address (6to4 10.0.0.1: 10.0.0.0/8, RFC 1918)");
    }

    @Test
    void aMappedAddressTheJdkTurnsIntoIpv4IsJudgedTheSame() throws UnknownHostException {
        // InetAddress.getByAddress returns an Inet4Address for ::ffff:a.b.c.d bytes.
        InetAddress mapped = InetAddress.getByAddress(bytes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1));

        assertThat(mapped).isInstanceOf(Inet4Address.class);
        assertThat(refused(AddressPolicy.STRICT.check(mapped)).category()).isEqualTo(Category.PRIVATE);
    }

    @Test
    void theAllowlistPermitsItsRangesOnly() {
        AddressPolicy demo = AddressPolicy.of(Cidr.parseList("127.0.0.0/8,::1/128"));

        assertThat(demo.check(ip("127.0.0.1")).isAllowed()).isTrue();
        assertThat(demo.check(ip("127.255.255.255")).isAllowed()).isTrue();
        assertThat(demo.check(ip("::1")).isAllowed()).isTrue();
        assertThat(demo.check(ip("::ffff:127.0.0.1")).isAllowed()).isTrue();
        assertThat(refused(demo.check(ip("10.0.0.1"))).category()).isEqualTo(Category.PRIVATE);
        assertThat(refused(demo.check(ip("169.254.169.254"))).category()).isEqualTo(Category.LINK_LOCAL);
        assertThat(refused(demo.check(ip("::2"))).category()).isEqualTo(Category.UNSPECIFIED);
        assertThat(demo.check(ip("1.1.1.1")).isAllowed()).isTrue();
    }

    @Test
    void anAllowlistedIpv4RangeDoesNotLeakToOtherEmbeddedAddresses() {
        AddressPolicy policy = AddressPolicy.allowing("10.1.0.0/16");

        assertThat(policy.check(ip("10.1.2.3")).isAllowed()).isTrue();
        assertThat(policy.check(ip("::ffff:10.1.2.3")).isAllowed()).isTrue();
        assertThat(policy.check(ip("::ffff:10.2.0.1")).isAllowed()).isFalse();
        assertThat(policy.check(ip("10.2.0.1")).isAllowed()).isFalse();
    }

    @Test
    void anEmptyAllowlistIsStrict() {
        assertThat(AddressPolicy.of(List.of())).isSameAs(AddressPolicy.STRICT);
        assertThat(AddressPolicy.allowing(" ")).isSameAs(AddressPolicy.STRICT);
        assertThat(AddressPolicy.STRICT.allowed()).isEmpty();
    }

    @Test
    void refusalReasonFitsAUrlCheck() {
        assertThat(AddressPolicy.STRICT.check(ip("1.1.1.1")).refusalReason()).isEmpty();
        assertThat(AddressPolicy.STRICT.check(ip("10.0.0.1")).refusalReason()).contains("10.0.0.1 is a private address (10.0.0.0/8, RFC 1918)");
    }

    static String outcome(Verdict verdict) {
        return verdict instanceof Verdict.Refused refused ? refused.category().name() : ALLOWED;
    }

    static Verdict.Refused refused(Verdict verdict) {
        assertThat(verdict).isInstanceOf(Verdict.Refused.class);
        return (Verdict.Refused) verdict;
    }
}
