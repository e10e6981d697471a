package io.callhook.enricher.deadletter;

import io.callhook.deadletter.DeadLetterReason;
import io.callhook.model.DeadLetter;
import io.callhook.model.SourceCoordinates;
import io.callhook.model.WebhookRequest;
import java.nio.ByteBuffer;
import java.time.Clock;

/** Builds the dead letters of the enricher, each with a reason code ({@link DeadLetterReason}), a reason and where it came from. */
public final class DeadLetters {

    private final Clock clock;

    public DeadLetters(Clock clock) {
        this.clock = clock;
    }

    public DeadLetter invalid(String topic, int partition, long offset, String reason) {
        return base(DeadLetterReason.INVALID_RECORD, reason, topic, partition, offset).build();
    }

    /** A subscription the enricher does not hold, naming it and its account. */
    public DeadLetter subscriptionRefused(DeadLetterReason reasonCode, String reason, String subscriptionId, long accountId,
                                          String topic, int partition, long offset) {
        return base(reasonCode, reason, topic, partition, offset).setSubscriptionId(subscriptionId).setAccountId(accountId).build();
    }

    /** A webhook rendered for a disabled subscription, with its request, replayable once the subscription is enabled. */
    public DeadLetter disabled(WebhookRequest request, String topic, int partition, long offset) {
        String reason = (request.getTest() ? "test call " : "call ") + request.getCallId() + " (" + request.getPhase()
                + ") for subscription " + request.getSubscriptionId() + ", which is disabled: not sent; replay it once"
                + " the subscription is enabled";
        return base(DeadLetterReason.SUBSCRIPTION_DISABLED, reason, topic, partition, offset)
                .setSubscriptionId(request.getSubscriptionId())
                .setAccountId(request.getAccountId())
                .setRequest(request)
                .build();
    }

    /** A record that could not be read or processed, with its bytes as they were. */
    public DeadLetter unreadable(DeadLetterReason reasonCode, String reason, String topic, int partition, long offset,
                                 byte[] rawKey, byte[] rawValue) {
        return base(reasonCode, reason, topic, partition, offset)
                .setRawKey(rawKey == null ? null : ByteBuffer.wrap(rawKey))
                .setRawValue(rawValue == null ? null : ByteBuffer.wrap(rawValue))
                .build();
    }

    private DeadLetter.Builder base(DeadLetterReason code, String reason, String topic, int partition, long offset) {
        return DeadLetter.newBuilder()
                .setReasonCode(code.code())
                .setReason(DeadLetterReason.text(reason))
                .setSource(new SourceCoordinates(topic, partition, offset))
                .setDeadAt(clock.instant());
    }
}
