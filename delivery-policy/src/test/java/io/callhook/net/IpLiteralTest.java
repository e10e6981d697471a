package io.callhook.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "77.50.1.1                               | 77.50.1.1",
        "' 77.50.1.1 '                           | 77.50.1.1",
        "0.0.0.0                                 | 0.0.0.0",
        "255.255.255.255                         | 255.255.255.255",
        "2a00:1450:4001::1                       | 2a00:1450:4001:0:0:0:0:1",
        "2A00:1450:4001:0:0:0:0:1                | 2a00:1450:4001:0:0:0:0:1",
        "::1                                     | 0:0:0:0:0:0:0:1",
        "::                                      | 0:0:0:0:0:0:0:0",
        "1::                                     | 1:0:0:0:0:0:0:0",
        "1:2:3:4:5:6:7::                         | 1:2:3:4:5:6:7:0",
        "::2:3:4:5:6:7:8                         | 0:2:3:4:5:6:7:8",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "64:ff9b::192.0.2.33                     | 64:ff9b:0:0:0:0:c000:221",
        // IPv4-mapped IPv6 is the IPv4 address itself, as the JDK and the database treat it.
        "::ffff:77.50.1.1                        | 77.50.1.1",
    })
    void parsesLiterals(String text, String expected) {
        // The JDK's own formatting is the independent check (resolving methods are kept out of this package).
        assertThat(IpLiteral.parse(text).map(InetAddress::getHostAddress)).contains(expected);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {
        "", "   ", "not-an-ip", "example.com", "999.1.1.1", "256.0.0.1", "1.2.3", "1.2.3.4.5", "1..2.3",
        ".1.2.3", "1.2.3.", "010.1.1.1", "00.1.1.1", "1.2.3.04", "167772161", "0x7f.0.0.1", "1.2.3.4:80",
        "+1.2.3.4", "1.2.3.4 5", "１.２.３.４", ":::", "1:::2", "1::2::3", ":1::", "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "12345::", "g::1", "fe80::1%eth0",
        "[::1]", "::ffff:999.1.1.1", "::1.2.3", "1.2.3.4::", ":1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4",
        "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255x"
    })
    void refusesEverythingElse(String text) {
        assertThat(IpLiteral.parse(text)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "example.com", "1.2"})
    void neverResolvesHostNames(String text) {
        // "localhost" and "1.2" are what InetAddress.getByName turns into addresses (127.0.0.1 via
        // the resolver, 1.0.0.2 as an inet_aton form): here they are simply not literals.
        assertThat(IpLiteral.parse(text)).isEmpty();
    }
}
