package io.callhook.dispatcher.engine;

import io.callhook.body.QueryStrings;
import io.callhook.model.HttpMethod;
import io.callhook.model.Subscription;
import io.callhook.model.WebhookRequest;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where an attempt goes: the subscription's URL as it is now, not as it was when the webhook was
 * rendered, so that a retry (up to a day later) or a replay follows a URL the customer changed.
 * The SSRF guard checks whatever URL this gives, at every send.
 *
 * <p>A GET adds its pairs ({@code WebhookRequest.query}) to that URL. A GET written before
 * WebhookRequest v3 has no {@code query}: its pairs cannot be told apart from the query the
 * subscription's URL had, so it goes to the URL it was rendered with.
 */
final class SendTarget {

    private SendTarget() {
    }

    /** The URL to send this attempt to. */
    static String url(WebhookRequest request, Subscription subscription) {
        return QueryStrings.sendUrl(request, subscription.getUrl());
    }

    /**
     * Whether an attempt prepared with the subscription as it was ({@code then}) went where one
     * prepared now would go: only then may its answer (a 410) speak for the subscription.
     */
    static boolean stillCurrent(WebhookRequest request, Subscription then, Subscription now) {
        if (request.getMethod() == HttpMethod.GET && request.getQuery() == null) {
            // Written before v3, it went to its rendered URL whatever the subscription says: compare what can be.
            return endpoint(request.getUrl()).equals(endpoint(now.getUrl()));
        }
        return url(request, then).equals(url(request, now));
    }

    /**
     * The endpoint a URL names, {@code scheme://host[:port]/path}: without the query, which for a
     * GET carries the call's data, and without the fragment. What a 410 is taken to be about, and
     * what the subscription's disabled reason may quote.
     */
    static String endpoint(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return withoutQuery(url);
            }
            String port = uri.getPort() == -1 ? "" : ":" + uri.getPort();
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return uri.getScheme().toLowerCase(java.util.Locale.ROOT) + "://" + uri.getHost().toLowerCase(java.util.Locale.ROOT)
                    + port + path;
        } catch (URISyntaxException e) {
            return withoutQuery(url);
        }
    }

    private static String withoutQuery(String url) {
        int cut = url.length();
        for (char c : new char[] {'?', '#'}) {
            int at = url.indexOf(c);
            if (at >= 0 && at < cut) {
                cut = at;
            }
        }
        return url.substring(0, cut);
    }
}
