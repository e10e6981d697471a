package io.callhook.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Reads one IP address written as text (a caller's IP in a call event), never touching DNS.
 * {@link InetAddress#getByName} is not safe for this: for anything it does not read as a literal
 * ("example.com", but also "999.1.1.1") it asks the resolver, which would block a stream thread
 * on the network for each bad input.
 *
 * <p>Accepted: IPv4 dotted quads ({@code 203.0.113.7}) and IPv6 text per RFC 4291 section 2.2,
 * including {@code ::} and an embedded IPv4 tail ({@code ::ffff:203.0.113.7}); surrounding
 * whitespace is ignored. Refused: the legacy inet_aton forms ({@code 10.1}, {@code 167772161}),
 * IPv4 parts with leading zeros (some parsers read them as octal, so their meaning is ambiguous),
 * brackets, zone ids ({@code fe80::1%eth0}) and ports. A URL's host, which may legitimately be
 * written in the lenient forms, is read by {@link UrlHost} instead.
 */
public final class IpLiteral {

    private IpLiteral() {
    }

    /** The address the text denotes, or empty when it is not an IP literal. */
    public static Optional<InetAddress> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String literal = text.strip();
        Optional<byte[]> bytes = literal.indexOf(':') >= 0
                ? Ipv6Literal.parse(literal)
                : Ipv4Literal.parseDottedQuad(literal);
        return bytes.map(IpLiteral::address);
    }

    // Unlike the SSRF guard's readings, an IPv4-mapped address is the IPv4 address itself here,
    // as the JDK and the geo database treat it.
    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("an address is 4 or 16 bytes, not " + bytes.length, impossible);
        }
    }
}
