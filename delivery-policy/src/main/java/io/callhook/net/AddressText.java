package io.callhook.net;

/**
 * Formats raw address bytes for reasons and {@link Cidr#toString()}: dotted quad, or IPv6 in
 * the RFC 5952 canonical form (lower case, longest zero run as "::"), which people recognise,
 * unlike {@link java.net.InetAddress#getHostAddress()}'s "0:0:0:0:0:0:0:1". Never touches DNS.
 */
final class AddressText {

    private AddressText() {
    }

    static String format(byte[] address) {
        if (address.length == 4) {
            return dotted(address, 0);
        }
        if (isIpv4Mapped(address)) {
            // RFC 5952 section 5: mapped addresses keep the dotted form.
            return "::ffff:" + dotted(address, 12);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (address[2 * i] & 0xff) << 8 | (address[2 * i + 1] & 0xff);
        }
        int runStart = -1;
        int runLength = 0;
        for (int i = 0; i < 8; i++) {
            int length = 0;
            while (i + length < 8 && groups[i + length] == 0) {
                length++;
            }
            // A single zero group is not shortened, and the first of equal runs wins (RFC 5952 4.2).
            if (length > runLength && length >= 2) {
                runStart = i;
                runLength = length;
            }
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == runStart) {
                text.append("::");
                i += runLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    static String dotted(byte[] address, int from) {
        return (address[from] & 0xff) + "." + (address[from + 1] & 0xff) + "."
                + (address[from + 2] & 0xff) + "." + (address[from + 3] & 0xff);
    }

    private static boolean isIpv4Mapped(byte[] address) {
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return address[10] == (byte) 0xff && address[11] == (byte) 0xff;
    }
}
