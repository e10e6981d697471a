package io.callhook.dispatcher.signing;

import io.callhook.model.HttpMethod;
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
     * The query as the sender writes it on the request line: it reads the URL with {@link
     * java.net.URI} and sends {@code getRawPath() + "?" + getRawQuery()}, and for every URL it
     * sends, that raw query is the text between the first {@code ?} and the first {@code #} (the
     * sender's own reading is checked against this one in its tests). Read as text, so that a GET's
     * URL, unique to its call, is parsed once per delivery (by the sender), not twice. A URL the
     * sender cannot read is never sent: what is signed for it does not matter.
     */
    static String rawQuery(String url) {
        int fragment = url.indexOf('#');
        int query = url.indexOf('?');
        if (query < 0 || (fragment >= 0 && fragment < query)) {
            return "";
        }
        return url.substring(query + 1, fragment < 0 ? url.length() : fragment);
    }
}
