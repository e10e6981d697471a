package io.callhook.enricher.fanout;

import io.callhook.body.BodyOptions;
import io.callhook.body.EnrichedCall;
import io.callhook.body.Geo;
import io.callhook.body.RenderedWebhook;
import io.callhook.body.Validated;
import io.callhook.body.WebhookBody;
import io.callhook.body.WebhookBodyRenderer;
import io.callhook.enricher.EnricherMetrics;
import io.callhook.enricher.geo.GeoLookup;
import io.callhook.model.CallEvent;
import io.callhook.model.Subscription;
import io.callhook.model.WebhookRequest;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a matched call into one {@link WebhookRequest} per subscription, keyed by subscription
 * id so that each subscription's webhooks stay in order on one partition. The body is built
 * once per call (geo looked up once) and rendered per subscription.
 */
public final class FanOut {

    private static final Logger LOG = LoggerFactory.getLogger(FanOut.class);

    private final GeoLookup geo;
    private final Clock clock;
    private final EnricherMetrics metrics;
    private final BodyOptionsCache options = new BodyOptionsCache();

    public FanOut(GeoLookup geo, Clock clock, EnricherMetrics metrics) {
        this.geo = geo;
        this.clock = clock;
        this.metrics = metrics;
    }

    public List<KeyValue<String, WebhookRequest>> apply(MatchedCall matched) {
        CallEvent call = matched.call();
        Geo place = geo.lookup(call.getClientIp());
        WebhookBody body = WebhookBody.of(new EnrichedCall(call, matched.visit(), place));
        Instant now = clock.instant();
        List<KeyValue<String, WebhookRequest>> requests = new ArrayList<>(matched.subscriptions().size());
        for (Subscription subscription : matched.subscriptions()) {
            Validated<BodyOptions> parsed = options.of(subscription);
            if (parsed instanceof Validated.Valid<BodyOptions> valid) {
                RenderedWebhook rendered = WebhookBodyRenderer.render(body, valid.value(), subscription.getUrl());
                requests.add(KeyValue.pair(subscription.getId(), request(call, subscription, valid.value(), rendered, now)));
            } else if (parsed instanceof Validated.Invalid<BodyOptions> invalid) {
                // Cannot happen for subscriptions that passed SubscriptionRules; kept loud if it does.
                LOG.error("Subscription {} has invalid body options, webhook not sent: {}",
                        subscription.getId(), invalid.errors());
            }
        }
        metrics.webhooksRendered(call.getProduct(), requests.size());
        return requests;
    }

    private static WebhookRequest request(CallEvent call, Subscription subscription, BodyOptions options,
                                          RenderedWebhook rendered, Instant now) {
        return WebhookRequest.newBuilder()
                .setWebhookId(WebhookIds.of(call, subscription.getId()))
                .setSubscriptionId(subscription.getId())
                .setAccountId(call.getAccountId())
                .setProduct(call.getProduct())
                .setCallId(call.getCallId())
                .setPhase(call.getPhase())
                .setUrl(rendered.url())
                .setQuery(rendered.query())
                .setMethod(options.method())
                .setContentType(rendered.contentType())
                .setHeaders(subscription.getHeaders())
                .setBody(ByteBuffer.wrap(rendered.body()))
                .setEventTime(call.getOccurredAt())
                .setCreatedAt(now)
                .setTest(call.getTest())
                .build();
    }
}
