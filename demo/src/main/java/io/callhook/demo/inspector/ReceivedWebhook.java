package io.callhook.demo.inspector;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One request the inspector received, as recorded.
 *
 * @param n              sequence number, from 1, unique for the inspector's lifetime (clearing does
 *                       not reuse numbers, so {@code /api/webhooks/{n}} never points at another request)
 * @param receivedAt     when it arrived
 * @param method         HTTP method, e.g. {@code POST}
 * @param path           path, e.g. {@code /hooks/sub-1}
 * @param query          raw query string without {@code ?}, or null
 * @param remoteAddress  the peer's address
 * @param headers        headers in the order received, repeated names kept
 * @param contentType    the {@code Content-Type} header, or null
 * @param size           body size in bytes
 * @param body           the body decoded as UTF-8 (malformed bytes replaced), at most
 *                       {@link WebhookInspector#MAX_KEPT_BODY} bytes of it
 * @param bodyTruncated  whether {@code body} is only the beginning of the body
 * @param form           decoded pairs of an {@code application/x-www-form-urlencoded} body, else null
 * @param queryParams    decoded pairs of the query string (how GET webhooks carry their data)
 * @param webhookId      the {@code webhook-id} header, or null
 * @param signature      the signature check
 * @param summary        what the body says about the call, where it could be read
 * @param responseStatus the status the inspector answered with
 */
public record ReceivedWebhook(long n, Instant receivedAt, String method, String path, String query,
                              String remoteAddress, List<Pair> headers, String contentType, long size,
                              String body, boolean bodyTruncated, List<Pair> form, List<Pair> queryParams,
                              String webhookId, SignatureCheck signature, Summary summary, int responseStatus) {

    /** A header or a decoded form or query parameter. */
    public record Pair(String name, String value) {
        public Pair {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * The webhook's headline, read from the top level of a JSON body, else the form pairs, else
     * the query parameters. Each is null when absent, e.g. when the subscription renamed the key.
     *
     * @param product   {@code product}: not part of the documented body, present when the
     *                  subscription adds it as a static parameter
     * @param hookEvent {@code hook_event}, e.g. {@code Call is over}
     * @param id        {@code id}, the call id, as text
     */
    public record Summary(String product, String hookEvent, String id) {
        static final Summary NONE = new Summary(null, null, null);
    }

    public ReceivedWebhook {
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        headers = List.copyOf(headers);
        form = form == null ? null : List.copyOf(form);
        queryParams = List.copyOf(queryParams);
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(summary, "summary");
    }

    /** Path and query as requested, e.g. {@code /hooks/sub-1?a=b}. */
    public String uri() {
        return query == null ? path : path + '?' + query;
    }

    /** The first value of a header, by case-insensitive name, or null. */
    public String header(String name) {
        for (Pair header : headers) {
            if (header.name().equalsIgnoreCase(name)) {
                return header.value();
            }
        }
        return null;
    }

    /** The same request under the number the ring gives it. */
    ReceivedWebhook numbered(long number) {
        return new ReceivedWebhook(number, receivedAt, method, path, query, remoteAddress, headers, contentType, size,
                body, bodyTruncated, form, queryParams, webhookId, signature, summary, responseStatus);
    }
}
