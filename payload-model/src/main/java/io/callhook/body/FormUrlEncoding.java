package io.callhook.body;

/**
 * Percent-encoding of the WHATWG {@code application/x-www-form-urlencoded} serializer: UTF-8,
 * ASCII letters, digits and {@code * - . _} kept, space as {@code +}, everything else
 * {@code %XX} with upper-case hex. Hand-written because {@link java.net.URLEncoder} turns a lone
 * surrogate into {@code ?} where the standard asks for U+FFFD, and it allocates per call.
 */
final class FormUrlEncoding {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final int REPLACEMENT_CHARACTER = 0xFFFD;

    private FormUrlEncoding() {
    }

    /** Appends {@code text} percent-encoded to {@code out}. */
    static void append(StringBuilder out, String text) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (isKept(c)) {
                out.append(c);
            } else if (c == ' ') {
                out.append('+');
            } else if (c < 0x80) {
                appendByte(out, c);
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                appendUtf8(out, Character.toCodePoint(c, text.charAt(++i)));
            } else if (Character.isSurrogate(c)) {
                appendUtf8(out, REPLACEMENT_CHARACTER);
            } else {
                appendUtf8(out, c);
            }
        }
    }

    private static boolean isKept(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '*' || c == '-' || c == '.' || c == '_';
    }

    private static void appendUtf8(StringBuilder out, int codePoint) {
        if (codePoint < 0x800) {
            appendByte(out, 0xC0 | (codePoint >> 6));
            appendByte(out, 0x80 | (codePoint & 0x3F));
        } else if (codePoint < 0x10000) {
            appendByte(out, 0xE0 | (codePoint >> 12));
            appendByte(out, 0x80 | ((codePoint >> 6) & 0x3F));
            appendByte(out, 0x80 | (codePoint & 0x3F));
        } else {
            appendByte(out, 0xF0 | (codePoint >> 18));
            appendByte(out, 0x80 | ((codePoint >> 12) & 0x3F));
            appendByte(out, 0x80 | ((codePoint >> 6) & 0x3F));
            appendByte(out, 0x80 | (codePoint & 0x3F));
        }
    }

    private static void appendByte(StringBuilder out, int b) {
        out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
    }
}
