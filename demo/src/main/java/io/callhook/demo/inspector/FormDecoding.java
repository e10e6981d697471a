package io.callhook.demo.inspector;

import io.callhook.demo.inspector.ReceivedWebhook.Pair;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decodes {@code application/x-www-form-urlencoded} text (form bodies and query strings) into
 * pairs, in order, repeats kept. Lenient on purpose, unlike {@link java.net.URLDecoder}: an
 * inspector shows what arrived, so a stray {@code %} stays a {@code %} instead of losing the
 * whole body, and malformed UTF-8 becomes U+FFFD.
 */
final class FormDecoding {

    static final String FORM_TYPE = "application/x-www-form-urlencoded";

    private FormDecoding() {
    }

    /** Whether a {@code Content-Type} value denotes a form body, whatever its parameters. */
    static boolean isForm(String contentType) {
        return contentType != null && mediaType(contentType).equals(FORM_TYPE);
    }

    /** Whether a {@code Content-Type} value denotes JSON ({@code application/json}, {@code application/*+json}). */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = mediaType(contentType);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }

    static List<Pair> decode(String text) {
        List<Pair> pairs = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return pairs;
        }
        for (String part : text.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int equals = part.indexOf('=');
            String name = equals < 0 ? part : part.substring(0, equals);
            String value = equals < 0 ? "" : part.substring(equals + 1);
            pairs.add(new Pair(component(name), component(value)));
        }
        return pairs;
    }

    private static String component(String encoded) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        int i = 0;
        while (i < encoded.length()) {
            char c = encoded.charAt(i);
            if (c == '+') {
                bytes.write(' ');
                i++;
            } else if (c == '%' && i + 2 < encoded.length() && hex(encoded.charAt(i + 1)) >= 0 && hex(encoded.charAt(i + 2)) >= 0) {
                bytes.write(hex(encoded.charAt(i + 1)) * 16 + hex(encoded.charAt(i + 2)));
                i += 3;
            } else {
                // A character sent unencoded: kept as it is (code point, so emoji survive).
                int codePoint = encoded.codePointAt(i);
                bytes.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(codePoint);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }
}
