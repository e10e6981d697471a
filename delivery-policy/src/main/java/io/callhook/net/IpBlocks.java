package io.callhook.net;

import static io.callhook.net.Category.LINK_LOCAL;
import static io.callhook.net.Category.LOOPBACK;
import static io.callhook.net.Category.MULTICAST;
import static io.callhook.net.Category.PRIVATE;
import static io.callhook.net.Category.RESERVED;
import static io.callhook.net.Category.SHARED;
import static io.callhook.net.Category.UNSPECIFIED;

import java.util.List;
import java.util.Optional;

/**
 * The refused address blocks, from the IANA IPv4 and IPv6 special-purpose address registries.
 * A block that IANA marks globally reachable (AS112, AMT, 2620:4f:8000::/48) is not here: it is
 * public Internet. The IPv6 forms that embed an IPv4 address are not here either; see
 * {@link EmbeddedIpv4}.
 */
final class IpBlocks {

    /** One refused range and why; {@code description} ends the reason text. */
    record Block(Cidr range, Category category, String description) {
    }

    private static final List<Block> IPV4 = List.of(
            block("0.0.0.0/8", UNSPECIFIED, "\"this network\", RFC 791"),
            block("10.0.0.0/8", PRIVATE, "RFC 1918"),
            block("100.64.0.0/10", SHARED, "RFC 6598"),
            block("127.0.0.0/8", LOOPBACK, "RFC 1122"),
            block("169.254.0.0/16", LINK_LOCAL, "RFC 3927"),
            block("169.254.169.254/32", LINK_LOCAL, "the cloud instance metadata service"),
            block("172.16.0.0/12", PRIVATE, "RFC 1918"),
            block("192.0.0.0/24", RESERVED, "IETF protocol assignments, RFC 6890"),
            block("192.0.2.0/24", RESERVED, "documentation TEST-NET-1, RFC 5737"),
            block("192.88.99.0/24", RESERVED, "deprecated 6to4 relay anycast, RFC 7526"),
            block("192.168.0.0/16", PRIVATE, "RFC 1918"),
            block("198.18.0.0/15", RESERVED, "benchmarking, RFC 2544"),
            block("198.51.100.0/24", RESERVED, "documentation TEST-NET-2, RFC 5737"),
            block("203.0.113.0/24", RESERVED, "documentation TEST-NET-3, RFC 5737"),
            block("224.0.0.0/4", MULTICAST, "RFC 5771"),
            block("240.0.0.0/4", RESERVED, "reserved for future use, RFC 1112"),
            block("255.255.255.255/32", RESERVED, "limited broadcast, RFC 919"));

    private static final List<Block> IPV6 = List.of(
            block("::/128", UNSPECIFIED, "RFC 4291"),
            block("::1/128", LOOPBACK, "RFC 4291"),
            // Which IPv4 network a local-use translator maps to is the operator's choice.
            block("64:ff9b:1::/48", PRIVATE, "local-use IPv4/IPv6 translation, RFC 8215"),
            block("100::/64", RESERVED, "discard-only, RFC 6666"),
            block("100:0:0:1::/64", RESERVED, "dummy prefix, RFC 9780"),
            block("2001::/23", RESERVED, "IETF protocol assignments, RFC 2928"),
            // Refused outright rather than decoded: the client address is obfuscated and reached
            // through relays nobody here controls, and no webhook receiver lives on Teredo.
            block("2001::/32", RESERVED, "Teredo tunnelling, RFC 4380"),
            block("2001:db8::/32", RESERVED, "documentation, RFC 3849"),
            block("3fff::/20", RESERVED, "documentation, RFC 9637"),
            block("5f00::/16", RESERVED, "SRv6 segment identifiers, RFC 9602"),
            block("fc00::/7", PRIVATE, "unique local, RFC 4193"),
            block("fd00:ec2::254/128", PRIVATE, "the AWS instance metadata service"),
            block("fe80::/10", LINK_LOCAL, "RFC 4291"),
            block("fec0::/10", RESERVED, "deprecated site-local, RFC 3879"),
            block("ff00::/8", MULTICAST, "RFC 4291"));

    /** All IPv6 space IANA allocates for global unicast; the rest is unassigned or special. */
    private static final Cidr GLOBAL_UNICAST = Cidr.parse("2000::/3");
    private static final Block OUTSIDE_GLOBAL_UNICAST = new Block(Cidr.parse("::/0"), RESERVED,
            "outside 2000::/3, the only IPv6 space allocated for global unicast");

    private IpBlocks() {
    }

    /** The most specific refused block holding the address, or empty when it is public. */
    static Optional<Block> find(byte[] address) {
        Block found = null;
        for (Block block : address.length == 4 ? IPV4 : IPV6) {
            if (block.range().contains(address) && (found == null || block.range().prefixLength() > found.range().prefixLength())) {
                found = block;
            }
        }
        if (found == null && address.length == 16 && !GLOBAL_UNICAST.contains(address)) {
            found = OUTSIDE_GLOBAL_UNICAST;
        }
        return Optional.ofNullable(found);
    }

    private static Block block(String range, Category category, String note) {
        return new Block(Cidr.parse(range), category, range + ", " + note);
    }
}
