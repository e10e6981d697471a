package io.callhook.net;

import java.util.Arrays;
import java.util.Optional;

/**
 * An IPv4 address carried inside an IPv6 one. Packets to such an IPv6 address may end up at
 * the IPv4 address (the socket layer for mapped addresses, a translator for NAT64, a tunnel for
 * 6to4), so the IPv6 address is judged as the IPv4 address it carries.
 *
 * @param form how it is embedded, for reasons ("IPv4-mapped", "NAT64"...)
 * @param ipv4 the four embedded bytes
 */
record EmbeddedIpv4(String form, byte[] ipv4) {

    /** The embedded address of an IPv6 address in one of the embedding forms, else empty. */
    static Optional<EmbeddedIpv4> in(byte[] ipv6) {
        if (zeros(ipv6, 0, 10) && group(ipv6, 10) == 0xffff) {
            return at("IPv4-mapped", ipv6, 12);          // ::ffff:0:0/96, RFC 4291
        }
        if (zeros(ipv6, 0, 12) && !(zeros(ipv6, 12, 15) && (ipv6[15] == 0 || ipv6[15] == 1))) {
            return at("IPv4-compatible", ipv6, 12);      // ::/96, RFC 4291; :: and ::1 are themselves
        }
        if (zeros(ipv6, 0, 8) && group(ipv6, 8) == 0xffff && group(ipv6, 10) == 0) {
            return at("IPv4-translated", ipv6, 12);      // ::ffff:0:0:0/96, RFC 2765
        }
        if (group(ipv6, 0) == 0x64 && group(ipv6, 2) == 0xff9b && zeros(ipv6, 4, 12)) {
            return at("NAT64", ipv6, 12);                // 64:ff9b::/96, RFC 6052
        }
        if (group(ipv6, 0) == 0x2002) {
            return at("6to4", ipv6, 2);                  // 2002::/16, bits 16-48, RFC 3056
        }
        return Optional.empty();
    }

    private static Optional<EmbeddedIpv4> at(String form, byte[] ipv6, int from) {
        return Optional.of(new EmbeddedIpv4(form, Arrays.copyOfRange(ipv6, from, from + 4)));
    }

    private static boolean zeros(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static int group(byte[] bytes, int at) {
        return (bytes[at] & 0xff) << 8 | (bytes[at + 1] & 0xff);
    }
}
