package io.callhook.net;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads IPv4 address text. Two dialects: the strict dotted quad of configuration and of IPv6's
 * embedded form, and the lenient one of the WHATWG URL standard, which is what browsers, curl
 * and glibc's {@code inet_aton} accept: 1 to 4 parts, each decimal, octal (leading 0) or hex
 * (0x), the last filling the remaining bytes. Failures are empty results, never exceptions.
 */
final class Ipv4Literal {

    /** Failure of {@link #number}; every valid part is 0..2^32-1. */
    private static final long NOT_A_NUMBER = -1;
    /** Any value above every valid part (2^32-1); small enough not to overflow when multiplied. */
    private static final long TOO_BIG = 1L << 33;
    private static final Pattern QUAD_PART = Pattern.compile("0|[1-9][0-9]{0,2}");
    /** A part that octal readers and decimal readers disagree about, e.g. 010. */
    private static final Pattern LEADING_ZERO_DECIMAL = Pattern.compile("0[0-9]+");

    private Ipv4Literal() {
    }

    /**
     * Four decimal parts 0..255 without leading zeros. Leading zeros are refused rather than
     * guessed at: "010" is 8 to some parsers and 10 to others.
     */
    static Optional<byte[]> parseDottedQuad(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!QUAD_PART.matcher(parts[i]).matches() || Integer.parseInt(parts[i]) > 255) {
                return Optional.empty();
            }
            bytes[i] = (byte) Integer.parseInt(parts[i]);
        }
        return Optional.of(bytes);
    }

    /**
     * The WHATWG "ends in a number" test on a host's labels (already lower-case ASCII, a
     * trailing empty label removed): such a host must be an IPv4 address or nothing, never a
     * DNS name.
     */
    static boolean endsInANumber(List<String> labels) {
        String last = labels.get(labels.size() - 1);
        return !last.isEmpty() && (last.chars().allMatch(Ipv4Literal::isAsciiDigit) || number(last, true) != NOT_A_NUMBER);
    }

    /** The WHATWG IPv4 parser on a host's labels; empty when they are not a valid address. */
    static Optional<byte[]> parseLenient(List<String> labels) {
        return parse(labels, true);
    }

    /**
     * How parsers that ignore leading zeros (reading "010" as ten, as Netty's and older JDK
     * parsers do) read the labels, when that differs from {@link #parseLenient}. Empty when no
     * part has a leading zero, the readings agree, or the decimal reading is not an address.
     */
    static Optional<byte[]> decimalReading(List<String> labels) {
        if (labels.stream().noneMatch(label -> LEADING_ZERO_DECIMAL.matcher(label).matches())) {
            return Optional.empty();
        }
        Optional<byte[]> decimal = parse(labels, false);
        Optional<byte[]> lenient = parse(labels, true);
        if (decimal.isPresent() && lenient.isPresent() && Arrays.equals(decimal.get(), lenient.get())) {
            return Optional.empty();
        }
        return decimal;
    }

    private static Optional<byte[]> parse(List<String> parts, boolean leadingZeroIsOctal) {
        if (parts.isEmpty() || parts.size() > 4) {
            return Optional.empty();
        }
        long address = 0;
        int last = parts.size() - 1;
        for (int i = 0; i <= last; i++) {
            long value = number(parts.get(i), leadingZeroIsOctal);
            if (value == NOT_A_NUMBER) {
                return Optional.empty();
            }
            if (i < last) {
                if (value > 255) {
                    return Optional.empty();
                }
                address |= value << (8 * (3 - i));
            } else {
                // The last part fills the bytes the others left: 127.1 is 127.0.0.1.
                if (value >= 1L << (8 * (4 - last))) {
                    return Optional.empty();
                }
                address |= value;
            }
        }
        return Optional.of(new byte[] {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address});
    }

    /** One part as the WHATWG IPv4 number parser reads it, or {@link #NOT_A_NUMBER}. */
    private static long number(String part, boolean leadingZeroIsOctal) {
        if (part.isEmpty()) {
            return NOT_A_NUMBER;
        }
        int radix = 10;
        String digits = part;
        if (part.startsWith("0x") || part.startsWith("0X")) {
            radix = 16;
            digits = part.substring(2);
        } else if (part.length() > 1 && part.charAt(0) == '0') {
            radix = leadingZeroIsOctal ? 8 : 10;
            digits = part.substring(1);
        }
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            int digit = asciiDigit(digits.charAt(i), radix);
            if (digit < 0) {
                return NOT_A_NUMBER;
            }
            // Saturate rather than fail: a huge number is still a number, so "0x100000000" ends
            // in a number and is an invalid address, not a DNS name.
            value = Math.min(value * radix + digit, TOO_BIG);
        }
        return value; // "0x" alone is 0, as in the standard
    }

    /** Like Character.digit, but ASCII only: Character.digit accepts Arabic-Indic and fullwidth digits. */
    private static int asciiDigit(char c, int radix) {
        int digit;
        if (c >= '0' && c <= '9') {
            digit = c - '0';
        } else if (c >= 'a' && c <= 'f') {
            digit = c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
            digit = c - 'A' + 10;
        } else {
            return -1;
        }
        return digit < radix ? digit : -1;
    }

    private static boolean isAsciiDigit(int c) {
        return c >= '0' && c <= '9';
    }
}
