package io.callhook.body;

import io.callhook.model.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a call's body into the request for one subscription: renamed keys, static parameters
 * after the documented keys, then JSON or a form body for POST/PUT/PATCH, or the same pairs as
 * the form body in the query string for GET (whatever the format). Pure and thread-safe; build
 * the {@link WebhookBody} once per call and call {@link #render(WebhookBody, BodyOptions, String)}
 * per subscription.
 */
public final class WebhookBodyRenderer {

    public static final String JSON = "application/json";
    public static final String FORM = "application/x-www-form-urlencoded";

    private static final byte[] NO_BODY = new byte[0];

    private WebhookBodyRenderer() {
    }

    /** Renders one call for one subscription; for many subscriptions build the body once instead. */
    public static RenderedWebhook render(EnrichedCall call, BodyOptions options, String url) {
        return render(WebhookBody.of(call), options, url);
    }

    /** Renders a body built once per call for one subscription whose options were validated. */
    public static RenderedWebhook render(WebhookBody body, BodyOptions options, String url) {
        Objects.requireNonNull(url, "url");
        Map<String, Object> tree = options.renames().apply(body.tree());
        if (options.method() == HttpMethod.GET) {
            String pairs = FormPairs.encode(tree, options.params());
            return new RenderedWebhook(QueryStrings.withPairs(url, pairs), null, NO_BODY, pairs);
        }
        return switch (options.format()) {
            case JSON -> new RenderedWebhook(url, JSON, JsonBodyWriter.write(tree, options.params()));
            // Pairs are percent-encoded, so pure ASCII: the cheapest charset to turn into bytes.
            case FORM -> new RenderedWebhook(url, FORM,
                    FormPairs.encode(tree, options.params()).getBytes(StandardCharsets.US_ASCII));
        };
    }
}
