package io.callhook.net;

import java.net.InetAddress;

/** Addresses for tests, built from literal text by this package's own parsers: never DNS. */
final class Ips {

    private Ips() {
    }

    /** A dotted quad or an IPv6 address; IPv6 stays an Inet6Address even when IPv4-mapped. */
    static InetAddress ip(String text) {
        byte[] bytes = (text.indexOf(':') >= 0 ? Ipv6Literal.parse(text) : Ipv4Literal.parseDottedQuad(text))
                .orElseThrow(() -> new IllegalArgumentException("not an address literal: " + text));
        return HostParser.fromBytes(bytes);
    }

    static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }
}
