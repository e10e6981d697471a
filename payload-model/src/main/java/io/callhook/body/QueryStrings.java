package io.callhook.body;

import io.callhook.model.HttpMethod;
import io.callhook.model.WebhookRequest;

/**
 * Adds urlencoded pairs to a URL's query string: after an existing query with {@code &}, and
 * before any {@code #fragment}, which browsers and servers never send and so must not swallow
 * the pairs. Plain string work: the URL was validated when the subscription was saved. The
 * renderer uses it, and the dispatcher again at each attempt of a GET webhook, with the
 * subscription's URL as it then is.
 */
public final class QueryStrings {

    private QueryStrings() {
    }

    /**
     * Where a webhook request is sent when its subscription's URL is {@code subscriptionUrl}: that
     * URL; for a GET, with the body's pairs added. A GET written before WebhookRequest v3 has no
     * {@code query}: its pairs cannot be told apart from the query the customer's URL had then, so
     * it goes to the URL it was rendered with.
     */
    public static String sendUrl(WebhookRequest request, String subscriptionUrl) {
        if (request.getMethod() != HttpMethod.GET) {
            return subscriptionUrl;
        }
        return request.getQuery() == null ? request.getUrl() : withPairs(subscriptionUrl, request.getQuery());
    }

    /** {@code url} with {@code pairs} (urlencoded, without a leading {@code ?} or {@code &}) added to its query. */
    public static String withPairs(String url, String pairs) {
        if (pairs.isEmpty()) {
            return url;
        }
        int hash = url.indexOf('#');
        String base = hash < 0 ? url : url.substring(0, hash);
        String fragment = hash < 0 ? "" : url.substring(hash);
        StringBuilder out = new StringBuilder(url.length() + pairs.length() + 1);
        out.append(base);
        int question = base.indexOf('?');
        if (question < 0) {
            out.append('?');
        } else if (question < base.length() - 1 && base.charAt(base.length() - 1) != '&') {
            out.append('&');
        }
        return out.append(pairs).append(fragment).toString();
    }
}
