package io.callhook.enricher.fanout;

import io.callhook.body.BodyOptions;
import io.callhook.body.RenderedWebhook;
import io.callhook.body.WebhookBody;
import io.callhook.body.WebhookBodyRenderer;
import io.callhook.model.HttpMethod;
import java.util.HashMap;
import java.util.Map;

/**
 * The renders of one call's body: one per distinct body options, shared by every subscription
 * that wants the same body (most of an account's subscriptions send the documented JSON). Only
 * the URL differs between them; a GET carries its pairs in the URL, so a GET to another URL is
 * rendered on its own. Lives for one call.
 */
final class RenderedBodies {

    private final WebhookBody body;
    private final Map<BodyOptions, RenderedWebhook> byOptions = new HashMap<>(4);

    RenderedBodies(WebhookBody body) {
        this.body = body;
    }

    RenderedWebhook of(BodyOptions options, String url) {
        RenderedWebhook earlier = byOptions.get(options);
        if (earlier == null) {
            RenderedWebhook rendered = WebhookBodyRenderer.render(body, options, url);
            byOptions.put(options, rendered);
            return rendered;
        }
        if (earlier.url().equals(url)) {
            return earlier;
        }
        return options.method() == HttpMethod.GET ? WebhookBodyRenderer.render(body, options, url)
                : new RenderedWebhook(url, earlier.contentType(), earlier.body());
    }
}
