package io.callhook.net;

import java.io.ByteArrayOutputStream;
import java.net.IDN;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a URL host in the order of the WHATWG host parser: a bracketed IPv6 literal, else
 * percent-decode, convert to ASCII (IDN), then IPv4 if the host ends in a number, else a name.
 * Converting before the IPv4 test matters: "%31%32%37.0.0.1" and fullwidth "１２７.０.０.１"
 * are 127.0.0.1 to a browser, and so they are here.
 */
final class HostParser {

    /** RFC 1035: 253 characters of text without the trailing dot. */
    private static final int MAX_NAME_LENGTH = 253;
    private static final int MAX_QUOTED = 100;

    private HostParser() {
    }

    static UrlHost parse(String host) {
        if (host == null || host.isEmpty()) {
            return invalid("host is empty");
        }
        if (host.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            return invalid("host contains a space or control character");
        }
        if (host.startsWith("[")) {
            return ipv6(host);
        }
        Optional<String> decoded = percentDecode(host);
        if (decoded.isEmpty()) {
            return invalid("host " + quote(host) + " has malformed percent-encoding or is not UTF-8");
        }
        Optional<String> ascii = toAscii(decoded.get());
        if (ascii.isEmpty()) {
            return invalid("host " + quote(host) + " is not a valid international domain name");
        }
        return asciiHost(host, ascii.get().toLowerCase(Locale.ROOT));
    }

    private static UrlHost asciiHost(String original, String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            if (!isNameCharacter(ascii.charAt(i))) {
                return invalid("host " + quote(original) + " contains the character U+"
                        + String.format("%04X", (int) ascii.charAt(i)) + ", which is not allowed in a host name");
            }
        }
        List<String> labels = new ArrayList<>(Arrays.asList(ascii.split("\\.", -1)));
        if (labels.size() > 1 && labels.get(labels.size() - 1).isEmpty()) {
            labels.remove(labels.size() - 1); // the root's dot: "127.0.0.1." is 127.0.0.1
        }
        if (labels.stream().anyMatch(String::isEmpty)) {
            return invalid("host " + quote(original) + " is empty or has an empty label");
        }
        if (Ipv4Literal.endsInANumber(labels)) {
            return ipv4(original, labels);
        }
        String name = String.join(".", labels);
        if (name.length() > MAX_NAME_LENGTH) {
            return invalid("host " + quote(original) + " is longer than " + MAX_NAME_LENGTH + " characters");
        }
        return new UrlHost.Name(name);
    }

    private static UrlHost ipv4(String original, List<String> labels) {
        Optional<byte[]> address = Ipv4Literal.parseLenient(labels);
        if (address.isEmpty()) {
            return invalid("host " + quote(original) + " ends in a number but is not a valid IPv4 address");
        }
        return new UrlHost.Literal(fromBytes(address.get()), Ipv4Literal.decimalReading(labels).map(HostParser::fromBytes));
    }

    private static UrlHost ipv6(String host) {
        if (!host.endsWith("]")) {
            return invalid("host " + quote(host) + " has no closing ']'");
        }
        String inner = host.substring(1, host.length() - 1);
        if (inner.indexOf('%') >= 0) {
            // A zone names an interface of the sending machine: never a webhook destination.
            return invalid("host " + quote(host) + " has an IPv6 zone id");
        }
        Optional<byte[]> address = Ipv6Literal.parse(inner);
        if (address.isEmpty()) {
            return invalid("host " + quote(host) + " is not a valid IPv6 address");
        }
        return new UrlHost.Literal(fromBytes(address.get()));
    }

    /**
     * Percent-decodes, then decodes the bytes as strict UTF-8. Empty when a '%' is not followed
     * by two hex digits or the bytes are not UTF-8 (WHATWG would carry on with a '%' or U+FFFD,
     * both of which it then refuses anyway).
     */
    private static Optional<String> percentDecode(String text) {
        if (text.indexOf('%') < 0) {
            return Optional.of(text);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = 0;
        while (i < text.length()) {
            int percent = text.indexOf('%', i);
            int runEnd = percent < 0 ? text.length() : percent;
            bytes.writeBytes(text.substring(i, runEnd).getBytes(StandardCharsets.UTF_8));
            if (percent < 0) {
                break;
            }
            if (percent + 2 >= text.length() || hex(text.charAt(percent + 1)) < 0 || hex(text.charAt(percent + 2)) < 0) {
                return Optional.empty();
            }
            bytes.write(hex(text.charAt(percent + 1)) << 4 | hex(text.charAt(percent + 2)));
            i = percent + 3;
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty(); // the decoder reports bad UTF-8 only by throwing
        }
    }

    /**
     * IDNA to ASCII; java.net.IDN also maps fullwidth characters and the ideographic full stop,
     * as WHATWG's UTS 46 mapping does. Pure text processing, no lookup.
     */
    private static Optional<String> toAscii(String host) {
        try {
            return Optional.of(IDN.toASCII(host));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // IDN reports an invalid name only by throwing
        }
    }

    /** Letters, digits, '-', '.', and '_', which real host names carry though RFC 1123 does not allow it. */
    private static boolean isNameCharacter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
    }

    private static int hex(char c) {
        return c < 128 ? Character.digit(c, 16) : -1;
    }

    /** An address from its bytes; IPv6 stays IPv6 even when it is IPv4-mapped. No DNS. */
    static InetAddress fromBytes(byte[] address) {
        try {
            return address.length == 16 ? Inet6Address.getByAddress(null, address, -1) : InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address is 4 or 16 bytes, not " + address.length, e);
        }
    }

    /**
     * Untrusted text for a reason: quoted, cut so one URL cannot flood a log line, and anything
     * but printable ASCII escaped so it cannot forge or hide log text.
     */
    static String quote(String text) {
        StringBuilder quoted = new StringBuilder("'");
        for (int i = 0; i < Math.min(text.length(), MAX_QUOTED); i++) {
            char c = text.charAt(i);
            quoted.append(c >= ' ' && c < 0x7f ? String.valueOf(c) : String.format("\\u%04X", (int) c));
        }
        return quoted.append(text.length() > MAX_QUOTED ? "...'" : "'").toString();
    }

    private static UrlHost invalid(String reason) {
        return new UrlHost.Invalid(reason);
    }
}
