package io.callhook.net;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads IPv6 address text (RFC 4291 section 2.2): eight groups of 1 to 4 hex digits, one "::"
 * standing for one or more zero groups, and an optional dotted-quad IPv4 address as the last
 * 32 bits. No brackets and no zone id: callers strip the first and refuse the second. Failures
 * are empty results, never exceptions.
 */
final class Ipv6Literal {

    /** The longest valid text: 6 groups of 4 hex digits, 6 colons and 255.255.255.255. */
    private static final int MAX_LENGTH = 45;

    private Ipv6Literal() {
    }

    static Optional<byte[]> parse(String text) {
        if (text.isEmpty() || text.length() > MAX_LENGTH || !text.chars().allMatch(Ipv6Literal::isAllowed)) {
            return Optional.empty();
        }
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return Optional.empty();
        }
        String head = gap < 0 ? text : text.substring(0, gap);
        String tail = gap < 0 ? "" : text.substring(gap + 2);
        // The dotted IPv4 form may only end the whole address.
        Optional<List<Integer>> headGroups = groups(head, gap < 0);
        Optional<List<Integer>> tailGroups = groups(tail, true);
        if (headGroups.isEmpty() || tailGroups.isEmpty()) {
            return Optional.empty();
        }
        int count = headGroups.get().size() + tailGroups.get().size();
        if (gap < 0 ? count != 8 : count > 7) {
            return Optional.empty();
        }
        byte[] bytes = new byte[16];
        put(bytes, 0, headGroups.get());
        put(bytes, 8 - tailGroups.get().size(), tailGroups.get());
        return Optional.of(bytes);
    }

    /** Colon-separated groups as 16-bit values; a dotted quad at the end counts as two. */
    private static Optional<List<Integer>> groups(String text, boolean mayEndInIpv4) {
        List<Integer> values = new ArrayList<>();
        if (text.isEmpty()) {
            return Optional.of(values);
        }
        String[] parts = text.split(":", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.indexOf('.') >= 0) {
                if (!mayEndInIpv4 || i != parts.length - 1) {
                    return Optional.empty();
                }
                Optional<byte[]> ipv4 = Ipv4Literal.parseDottedQuad(part);
                if (ipv4.isEmpty()) {
                    return Optional.empty();
                }
                byte[] b = ipv4.get();
                values.add((b[0] & 0xff) << 8 | (b[1] & 0xff));
                values.add((b[2] & 0xff) << 8 | (b[3] & 0xff));
            } else if (part.isEmpty() || part.length() > 4) {
                return Optional.empty();
            } else {
                values.add(Integer.parseInt(part, 16));
            }
        }
        return Optional.of(values);
    }

    private static void put(byte[] bytes, int firstGroup, List<Integer> groups) {
        for (int i = 0; i < groups.size(); i++) {
            bytes[2 * (firstGroup + i)] = (byte) (groups.get(i) >>> 8);
            bytes[2 * (firstGroup + i) + 1] = groups.get(i).byteValue();
        }
    }

    private static boolean isAllowed(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
    }
}
