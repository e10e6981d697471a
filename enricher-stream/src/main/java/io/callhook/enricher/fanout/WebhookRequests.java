package io.callhook.enricher.fanout;

import io.callhook.body.BodyOptions;
import io.callhook.body.RenderedWebhook;
import io.callhook.model.CallEvent;
import io.callhook.model.WebhookRequest;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;

/**
 * The outbound record of one call event for one subscription, as the enricher writes it (the
 * dispatcher benchmark writes its workload with it too, so it measures what production sends).
 */
public final class WebhookRequests {

    private WebhookRequests() {
    }

    /**
     * @param headers  the subscription's static headers
     * @param rendered the body rendered with {@code options} for the subscription's URL
     * @param now      when the request was made
     */
    public static WebhookRequest of(CallEvent call, String subscriptionId, Map<String, String> headers, BodyOptions options,
                                    RenderedWebhook rendered, Instant now) {
        // Every field is set, defaults included: Avro's builder looks a default up by its field,
        // hashing the field's whole schema each time (the attempts' DeliveryAttempt record with
        // it), which was 6 % of the enricher's stream threads (JFR, 2026-12-04).
        return WebhookRequest.newBuilder()
                .setWebhookId(WebhookIds.of(call, subscriptionId))
                .setSubscriptionId(subscriptionId)
                .setAccountId(call.getAccountId())
                .setProduct(call.getProduct())
                .setCallId(call.getCallId())
                .setPhase(call.getPhase())
                .setUrl(rendered.url())
                .setQuery(rendered.query())
                .setMethod(options.method())
                .setContentType(rendered.contentType())
                .setHeaders(headers)
                .setBody(ByteBuffer.wrap(rendered.body()))
                .setEventTime(call.getOccurredAt())
                .setCreatedAt(now)
                .setTest(call.getTest())
                .setAttempts(new ArrayList<>(0))
                .setNotBefore(null)
                .setScheduleStart(0)
                .setResendId(null)
                .build();
    }
}
