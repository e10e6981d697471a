package io.callhook.dispatcher.signing;

import io.callhook.model.HttpMethod;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What a webhook's signature covers after {@code <webhook-id>.<timestamp>.}: the exact body, or,
 * for a GET, which has no body and carries its data in the URL, the raw query string exactly as
 * it goes on the request line (everything after the first {@code ?}, the subscription URL's own
 * query included, without any {@code #fragment}; empty when there is none). A receiver verifies
 * a GET by signing the query as it arrived in place of the body, so whoever changes a pair of a
 * captured request is refused. The signatures of POST, PUT and PATCH are what they always were.
 */
public final class SignedContent {

    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private SignedContent() {
    }

    /**
     * @param method how the request is sent
     * @param url    the URL it is sent to
     * @param body   the bytes it carries; ignored for GET, which is sent without them
     * @return the bytes to sign, between the buffer's position and limit
     */
    public static ByteBuffer of(HttpMethod method, String url, ByteBuffer body) {
        if (method != HttpMethod.GET) {
            return body;
        }
        String query = rawQuery(url);
        return query.isEmpty() ? NOTHING.duplicate() : ByteBuffer.wrap(query.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The query as the sender writes it on the request line: it reads the URL with
     * {@link URI} too and sends {@code getRawPath() + "?" + getRawQuery()}.
     */
    static String rawQuery(String url) {
        try {
            String query = new URI(url).getRawQuery();
            return query == null ? "" : query;
        } catch (URISyntaxException e) {
            return ""; // never sent: the sender answers such a URL with INVALID_URL
        }
    }
}
