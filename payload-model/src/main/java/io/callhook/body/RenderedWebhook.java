package io.callhook.body;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One webhook ready to send: the target URL (for GET, with the body's pairs in its query
 * string), the Content-Type header value (null when there is no body), the exact body bytes
 * (empty for GET), which the signature will cover, and for GET the pairs on their own, so that
 * the sender can add them to the subscription's URL as it stands at each attempt.
 *
 * @param url where to send it, as the subscription's URL was at rendering
 * @param contentType Content-Type header value, or null for GET
 * @param body the exact bytes to send; not copied, so do not modify them
 * @param query for GET, the urlencoded pairs that {@code url} carries in its query string
 *              ({@link QueryStrings#withPairs}); null for methods with a body
 */
public record RenderedWebhook(String url, String contentType, byte[] body, String query) {

    public RenderedWebhook {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(body, "body");
    }

    /** A webhook with a body (POST, PUT, PATCH). */
    public RenderedWebhook(String url, String contentType, byte[] body) {
        this(url, contentType, body, null);
    }

    /** The body as text: JSON and urlencoded bodies are both UTF-8 (the latter plain ASCII). */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RenderedWebhook o && url.equals(o.url)
                && Objects.equals(contentType, o.contentType) && Arrays.equals(body, o.body)
                && Objects.equals(query, o.query);
    }

    @Override
    public int hashCode() {
        return Objects.hash(url, contentType, Arrays.hashCode(body), query);
    }

    @Override
    public String toString() {
        return "RenderedWebhook[url=" + url + ", contentType=" + contentType + ", body=" + body.length + " bytes]";
    }
}
