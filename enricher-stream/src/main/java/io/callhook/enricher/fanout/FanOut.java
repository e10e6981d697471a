package io.callhook.enricher.fanout;

import io.callhook.body.EnrichedCall;
import io.callhook.body.Geo;
import io.callhook.body.RenderedWebhook;
import io.callhook.body.WebhookBody;
import io.callhook.enricher.EnricherMetrics;
import io.callhook.enricher.check.Checked;
import io.callhook.enricher.deadletter.DeadLetters;
import io.callhook.enricher.geo.GeoLookup;
import io.callhook.enricher.subscriptions.AccountSubscriptionsCache.Target;
import io.callhook.model.AccountSubscription;
import io.callhook.model.CallEvent;
import io.callhook.model.SourceCoordinates;
import io.callhook.model.VisitSnapshot;
import io.callhook.model.WebhookRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Turns a call and the subscriptions it goes to into one {@link WebhookRequest} per subscription,
 * keyed by subscription id so that each subscription's webhooks stay in order on one partition.
 * The body is built once per call (geo looked up once) and rendered once per distinct body
 * options. A request rendered for a disabled subscription (a test call to it) leaves as a dead
 * letter carrying it.
 */
public final class FanOut {

    private final GeoLookup geo;
    private final Clock clock;
    private final EnricherMetrics metrics;
    private final DeadLetters deadLetters;

    public FanOut(GeoLookup geo, Clock clock, EnricherMetrics metrics, DeadLetters deadLetters) {
        this.geo = geo;
        this.clock = clock;
        this.metrics = metrics;
        this.deadLetters = deadLetters;
    }

    /**
     * @param visit the visitor's latest visit, null when the tracker has none
     * @param source where the call was read, named by the dead letter of a disabled subscription
     * @param out receives each subscription id with its request or dead letter
     */
    public void render(CallEvent call, VisitSnapshot visit, List<Target> targets, SourceCoordinates source,
                       BiConsumer<String, Checked<WebhookRequest>> out) {
        Geo place = geo.lookup(call.getClientIp());
        RenderedBodies bodies = new RenderedBodies(WebhookBody.of(new EnrichedCall(call, visit, place)));
        Instant now = clock.instant();
        int sent = 0;
        for (Target target : targets) {
            AccountSubscription subscription = target.subscription();
            RenderedWebhook rendered = bodies.of(target.options(), subscription.getUrl());
            WebhookRequest request = WebhookRequests.of(call, subscription.getId(), subscription.getHeaders(), target.options(),
                    rendered, now);
            if (subscription.getEnabled()) {
                out.accept(subscription.getId(), new Checked.Passed<>(request));
                sent++;
            } else {
                out.accept(subscription.getId(), new Checked.Failed<>(
                        deadLetters.disabled(request, source.getTopic(), source.getPartition(), source.getOffset())));
            }
        }
        metrics.webhooksRendered(call.getProduct(), sent);
    }

}
