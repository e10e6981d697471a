package io.callhook.enricher.geo;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Parses IP address literals without ever touching DNS. {@link InetAddress#getByName} is not
 * safe here: for anything it does not read as a literal ("example.com", but also "999.1.1.1")
 * it asks the resolver, which would block a stream thread on the network for each bad input.
 * This parser builds the bytes itself and hands them to {@link InetAddress#getByAddress(byte[])},
 * which never resolves.
 *
 * <p>Accepted: IPv4 dotted quads ({@code 203.0.113.7}) and IPv6 text per RFC 4291 section 2.2,
 * including {@code ::} and an embedded IPv4 tail ({@code ::ffff:203.0.113.7}); surrounding
 * whitespace is ignored. Refused: the legacy inet_aton forms ({@code 10.1}, {@code 167772161}),
 * IPv4 parts with leading zeros (some parsers read them as octal, so their meaning is ambiguous),
 * brackets, zone ids ({@code fe80::1%eth0}) and ports.
 */
final class IpLiterals {

    // "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255", the longest literal accepted.
    private static final int MAX_LENGTH = 45;

    private IpLiterals() {
    }

    /** The address the literal denotes, or empty when the text is not an IP literal. */
    static Optional<InetAddress> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String literal = text.strip();
        if (literal.isEmpty() || literal.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        byte[] bytes = literal.indexOf(':') >= 0 ? parseV6(literal) : parseV4(literal);
        if (bytes == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException impossible) {
            // Thrown only for a length other than 4 or 16, which the parsers never produce.
            return Optional.empty();
        }
    }

    private static byte[] parseV4(String text) {
        byte[] bytes = new byte[4];
        return parseV4Into(text, bytes, 0) ? bytes : null;
    }

    private static boolean parseV4Into(String text, byte[] out, int offset) {
        int part = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '.') {
                if (digits == 0 || part == 3) {
                    return false;
                }
                out[offset + part++] = (byte) value;
                value = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9') {
                if (digits > 0 && value == 0) {
                    return false; // leading zero
                }
                value = value * 10 + (c - '0');
                digits++;
                if (value > 255) {
                    return false;
                }
            } else {
                return false;
            }
        }
        if (digits == 0 || part != 3) {
            return false;
        }
        out[offset + 3] = (byte) value;
        return true;
    }

    private static byte[] parseV6(String text) {
        byte[] bytes = new byte[16];
        String hex = text;
        int hexBytes = 16;
        int lastColon = text.lastIndexOf(':');
        if (text.indexOf('.', lastColon) >= 0) {
            if (!parseV4Into(text.substring(lastColon + 1), bytes, 12)) {
                return null;
            }
            hexBytes = 12;
            // Keep a "::" that ends the hex part ("::ffff:1.2.3.4" keeps "::ffff", "::1.2.3.4" keeps "::").
            boolean endsWithGap = lastColon > 0 && text.charAt(lastColon - 1) == ':';
            hex = text.substring(0, endsWithGap ? lastColon + 1 : lastColon);
        }
        return parseHexGroups(hex, bytes, hexBytes / 2) ? bytes : null;
    }

    private static boolean parseHexGroups(String hex, byte[] out, int groupCount) {
        int gap = hex.indexOf("::");
        if (gap >= 0 && hex.indexOf("::", gap + 1) >= 0) {
            return false; // at most one "::", and no ":::"
        }
        int[] head = groups(gap < 0 ? hex : hex.substring(0, gap));
        int[] tail = gap < 0 ? new int[0] : groups(hex.substring(gap + 2));
        if (head == null || tail == null) {
            return false;
        }
        int given = head.length + tail.length;
        // Without "::" every group is written; with it, "::" stands for at least one zero group.
        if (gap < 0 ? given != groupCount : given >= groupCount) {
            return false;
        }
        for (int i = 0; i < head.length; i++) {
            putGroup(out, i, head[i]);
        }
        for (int i = 0; i < tail.length; i++) {
            putGroup(out, groupCount - tail.length + i, tail[i]);
        }
        return true;
    }

    /** The 16-bit groups of a ':'-separated run, or null if one is not 1 to 4 hex digits. */
    private static int[] groups(String run) {
        if (run.isEmpty()) {
            return new int[0];
        }
        String[] parts = run.split(":", -1);
        if (parts.length > 8) {
            return null;
        }
        int[] values = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 4) {
                return null;
            }
            int value = 0;
            for (int j = 0; j < part.length(); j++) {
                int digit = hexDigit(part.charAt(j));
                if (digit < 0) {
                    return null;
                }
                value = value * 16 + digit;
            }
            values[i] = value;
        }
        return values;
    }

    // Not Character.digit: that also accepts non-ASCII digits such as fullwidth ones.
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static void putGroup(byte[] out, int group, int value) {
        out[2 * group] = (byte) (value >>> 8);
        out[2 * group + 1] = (byte) value;
    }
}
