package io.callhook.net;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One IPv4 or IPv6 address range, such as {@code 127.0.0.0/8} or {@code ::1/128}. Only
 * {@link #parse} makes one, so an instance is always valid.
 *
 * <p>Parsing is strict because it reads configuration, where a typo must stop the service at
 * start rather than widen the allowlist: IPv4 is a dotted quad without leading zeros (is "010"
 * eight or ten?), IPv6 has no brackets or zone id, the prefix length is required, and bits
 * after the prefix must be zero ({@code 10.0.0.1/8} is refused, suggesting {@code 10.0.0.0/8}).
 * An IPv4 range matches only IPv4 addresses; {@link AddressPolicy} also matches it against an
 * IPv4 address embedded in an IPv6 one.
 */
public final class Cidr {

    private static final Pattern PREFIX_LENGTH = Pattern.compile("0|[1-9][0-9]{0,2}");

    private final byte[] network;
    private final int prefixLength;

    private Cidr(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /**
     * Parses {@code address/prefix-length}.
     *
     * @throws IllegalArgumentException when the text is not a valid range; the message quotes
     *                                  the text and says what is wrong, for config errors
     */
    public static Cidr parse(String text) {
        Objects.requireNonNull(text, "text");
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw invalid(text, "missing '/' and prefix length, e.g. 10.0.0.0/8 or ::1/128");
        }
        String address = text.substring(0, slash);
        String length = text.substring(slash + 1);
        Optional<byte[]> bytes = address.indexOf(':') >= 0 ? Ipv6Literal.parse(address) : Ipv4Literal.parseDottedQuad(address);
        if (bytes.isEmpty()) {
            throw invalid(text, "'" + address + "' is not an IPv4 address (dotted quad, no leading zeros) or an IPv6 address");
        }
        int maxLength = bytes.get().length * 8;
        if (!PREFIX_LENGTH.matcher(length).matches() || Integer.parseInt(length) > maxLength) {
            throw invalid(text, "prefix length '" + length + "' is not a number from 0 to " + maxLength);
        }
        int prefix = Integer.parseInt(length);
        byte[] masked = mask(bytes.get(), prefix);
        if (!Arrays.equals(masked, bytes.get())) {
            throw invalid(text, "bits are set after the prefix; did you mean " + AddressText.format(masked) + "/" + prefix + "?");
        }
        return new Cidr(masked, prefix);
    }

    /**
     * Parses a comma-separated list such as {@code "127.0.0.0/8, ::1/128"}; spaces around
     * entries are ignored, and a null or blank text is the empty list.
     *
     * @throws IllegalArgumentException naming the first invalid entry; an empty entry (",,")
     *                                  is invalid
     */
    public static List<Cidr> parseList(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        List<Cidr> ranges = new ArrayList<>();
        for (String entry : text.split(",", -1)) {
            if (entry.isBlank()) {
                throw new IllegalArgumentException("invalid CIDR list '" + text + "': empty entry");
            }
            ranges.add(parse(entry.strip()));
        }
        return List.copyOf(ranges);
    }

    /** Whether the address is in this range; an address of the other family never is. */
    public boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    boolean contains(byte[] address) {
        return address.length == network.length && Arrays.equals(mask(address, prefixLength), network);
    }

    /** The number of leading bits that are fixed: 0..32 for IPv4, 0..128 for IPv6. */
    public int prefixLength() {
        return prefixLength;
    }

    /** Whether this is an IPv4 range. */
    public boolean isIpv4() {
        return network.length == 4;
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] masked = address.clone();
        for (int i = 0; i < masked.length; i++) {
            int bitsKept = Math.max(0, Math.min(8, prefix - 8 * i));
            masked[i] &= (byte) (0xff00 >>> bitsKept);
        }
        return masked;
    }

    private static IllegalArgumentException invalid(String text, String problem) {
        return new IllegalArgumentException("invalid CIDR '" + text + "': " + problem);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cidr cidr && prefixLength == cidr.prefixLength && Arrays.equals(network, cidr.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    /** The canonical text, which {@link #parse} reads back: {@code 10.0.0.0/8}, {@code fc00::/7}. */
    @Override
    public String toString() {
        return AddressText.format(network) + "/" + prefixLength;
    }
}
