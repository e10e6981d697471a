package io.callhook.store;

import io.callhook.model.AttemptOutcome;
import io.callhook.model.CallPhase;
import io.callhook.model.DeadLetter;
import io.callhook.model.DeliveryAttempt;
import io.callhook.model.HttpMethod;
import io.callhook.model.Product;
import io.callhook.model.SourceCoordinates;
import io.callhook.model.WebhookRequest;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

/** Dead letters as the dispatcher writes them for a webhook that failed for good: replayable. */
final class DeadLetterFixtures {

    private DeadLetterFixtures() {
    }

    /** A webhook to {@code url} that died now after one attempt answered 500. */
    static DeadLetter retriesExhausted(String subscriptionId, long account, String webhookId, String url) {
        DeliveryAttempt attempt = DeliveryAttempt.newBuilder().setAttemptId(webhookId + "/1").setWebhookId(webhookId)
                .setSubscriptionId(subscriptionId).setAccountId(account).setCallId(77).setPhase(CallPhase.ENDED).setAttemptNumber(1)
                .setStartedAt(Instant.now()).setLatencyMs(12).setOutcome(AttemptOutcome.DEAD_LETTERED).setHttpStatus(500).build();
        WebhookRequest request = WebhookRequest.newBuilder()
                .setWebhookId(webhookId).setSubscriptionId(subscriptionId).setAccountId(account).setProduct(Product.CALLKEEPER)
                .setCallId(77).setPhase(CallPhase.ENDED).setUrl(url).setMethod(HttpMethod.POST).setContentType("application/json")
                .setBody(ByteBuffer.wrap("{}".getBytes())).setEventTime(Instant.now()).setCreatedAt(Instant.now())
                .setAttempts(List.of(attempt)).build();
        return DeadLetter.newBuilder().setReasonCode("RETRIES_EXHAUSTED").setReason("gave up after 1 attempts")
                .setSource(new SourceCoordinates("webhooks.retry.10h", 0, 5L)).setDeadAt(Instant.now())
                .setSubscriptionId(subscriptionId).setAccountId(account).setRequest(request).build();
    }
}
