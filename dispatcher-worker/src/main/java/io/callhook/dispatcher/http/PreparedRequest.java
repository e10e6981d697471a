package io.callhook.dispatcher.http;

import io.callhook.model.HttpMethod;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One webhook request exactly as it goes on the wire, made by the prepare phase (signed, headers
 * set) and sent unchanged by {@link WebhookSender#send}. Immutable: the headers are copied into an
 * unmodifiable map that keeps their order, the body is copied in and out.
 *
 * <p>Header names must be HTTP tokens and values must not contain CR, LF or NUL, so a bad value
 * fails here, in the engine, instead of splitting a request on the wire. Names are unique ignoring
 * case. {@code Host}, {@code Content-Length}, {@code Transfer-Encoding} and {@code Connection}
 * are refused: the sender derives them from the URL and the body, and two sources for them is
 * how request smuggling starts. When no {@code User-Agent} is given, the sender adds the
 * configured one ({@link SenderConfig#userAgent()}).
 *
 * @param method  how to send; a GET's parameters are already in the URL's query
 * @param url     an absolute http or https URL; its host is checked by the SSRF guard before sending
 * @param headers in sending order, signature and content type included
 * @param body    the bytes to send; empty for none
 * @param timeout the longest the whole attempt may take, from {@code send} to the end of the
 *                response; positive
 * @param tenant  whose webhook it is (the account id), so that shared resources such as name
 *                lookups are shared fairly between accounts; never sent
 */
public record PreparedRequest(HttpMethod method, String url, Map<String, String> headers, byte[] body,
                              Duration timeout, String tenant) {

    private static final Set<String> SENDER_HEADERS = Set.of("host", "content-length", "transfer-encoding", "connection");

    public PreparedRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(tenant, "tenant");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        headers = checkedCopy(headers);
        body = body.clone();
    }

    /** A request of no particular account (tools, tests): all such requests count as one tenant. */
    public PreparedRequest(HttpMethod method, String url, Map<String, String> headers, byte[] body, Duration timeout) {
        this(method, url, headers, body, timeout, "");
    }

    /** A copy of the body: the record stays immutable even if a caller writes into it. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /**
     * The body itself, not a copy, for the sender's one copy into the wire buffer. Package-private
     * and never written to: the record stays immutable to everyone outside the sender.
     */
    byte[] bodyForSending() {
        return body;
    }

    /** The body length without copying it. */
    public int bodyLength() {
        return body.length;
    }

    /** Whether a header of this name is present, ignoring case as HTTP does. */
    public boolean hasHeader(String name) {
        return headers.keySet().stream().anyMatch(present -> present.equalsIgnoreCase(name));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PreparedRequest that && method == that.method && url.equals(that.url)
                && headers.equals(that.headers) && Arrays.equals(body, that.body) && timeout.equals(that.timeout)
                && tenant.equals(that.tenant);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, url, headers, Arrays.hashCode(body), timeout, tenant);
    }

    /** Without header values or the body: they carry signatures and personal data. */
    @Override
    public String toString() {
        return "PreparedRequest[" + method + " " + url + ", headers=" + headers.keySet() + ", body=" + body.length
                + " bytes, timeout=" + timeout + ", tenant=" + tenant + "]";
    }

    private static Map<String, String> checkedCopy(Map<String, String> headers) {
        Map<String, String> copy = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        headers.forEach((name, value) -> {
            Objects.requireNonNull(name, "header name");
            Objects.requireNonNull(value, () -> "value of header " + name);
            if (!isToken(name)) {
                throw new IllegalArgumentException("header name '" + name + "' is not an HTTP token");
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (SENDER_HEADERS.contains(lower)) {
                throw new IllegalArgumentException("header " + name + " is set by the sender from the URL and body");
            }
            if (!seen.add(lower)) {
                throw new IllegalArgumentException("header " + name + " is given twice (names ignore case)");
            }
            if (hasLineBreakOrNul(value)) {
                throw new IllegalArgumentException("value of header " + name + " contains CR, LF or NUL");
            }
            copy.put(name, value);
        });
        return Collections.unmodifiableMap(copy);
    }

    // Loops rather than streams: every header of every attempt passes here.
    private static boolean isToken(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isTokenChar(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasLineBreakOrNul(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                return true;
            }
        }
        return false;
    }

    /** RFC 9110 section 5.6.2 tchar. */
    private static boolean isTokenChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}
