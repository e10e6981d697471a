package io.callhook.enricher.fanout;

import io.callhook.body.BodyOptions;
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
import io.callhook.model.DeadLetter;
import io.callhook.model.WebhookRequest;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Turns a matched call into one {@link WebhookRequest} per subscription, keyed by subscription
 * id so that each subscription's webhooks stay in order on one partition. The body is built
 * once per call (geo looked up once) and rendered once per distinct body options. A request
 * rendered for a disabled subscription (a test call to it) leaves as a dead letter carrying it.
 */
public final class FanOut implements Processor<String, MatchedCall, String, Checked<WebhookRequest>> {

    private final GeoLookup geo;
    private final Clock clock;
    private final EnricherMetrics metrics;
    private final DeadLetters deadLetters;
    private final String callsTopic;
    private ProcessorContext<String, Checked<WebhookRequest>> context;

    /** @param callsTopic named as the source of a dead letter when the call's own offset is unknown (released by a punctuation) */
    public FanOut(GeoLookup geo, Clock clock, EnricherMetrics metrics, DeadLetters deadLetters, String callsTopic) {
        this.geo = geo;
        this.clock = clock;
        this.metrics = metrics;
        this.deadLetters = deadLetters;
        this.callsTopic = callsTopic;
    }

    @Override
    public void init(ProcessorContext<String, Checked<WebhookRequest>> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, MatchedCall> record) {
        MatchedCall matched = record.value();
        CallEvent call = matched.call();
        Geo place = geo.lookup(call.getClientIp());
        RenderedBodies bodies = new RenderedBodies(WebhookBody.of(new EnrichedCall(call, matched.visit(), place)));
        Instant now = clock.instant();
        int sent = 0;
        for (Target target : matched.subscriptions()) {
            AccountSubscription subscription = target.subscription();
            RenderedWebhook rendered = bodies.of(target.options(), subscription.getUrl());
            WebhookRequest request = request(call, subscription, target.options(), rendered, now);
            if (subscription.getEnabled()) {
                context.forward(record.withKey(subscription.getId()).withValue(new Checked.Passed<>(request)));
                sent++;
            } else {
                context.forward(record.withKey(subscription.getId()).withValue(new Checked.Failed<>(disabled(request))));
            }
        }
        metrics.webhooksRendered(call.getProduct(), sent);
    }

    private DeadLetter disabled(WebhookRequest request) {
        RecordMetadata source = context.recordMetadata().filter(metadata -> metadata.topic() != null).orElse(null);
        return source == null ? deadLetters.disabled(request, callsTopic, -1, -1)
                : deadLetters.disabled(request, source.topic(), source.partition(), source.offset());
    }

    private static WebhookRequest request(CallEvent call, AccountSubscription subscription, BodyOptions options,
                                          RenderedWebhook rendered, Instant now) {
        return WebhookRequest.newBuilder()
                .setWebhookId(WebhookIds.of(call, subscription.getId()))
                .setSubscriptionId(subscription.getId())
                .setAccountId(call.getAccountId())
                .setProduct(call.getProduct())
                .setCallId(call.getCallId())
                .setPhase(call.getPhase())
                .setUrl(rendered.url())
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
