package io.callhook.enricher.deadletter;

import io.callhook.model.DeadLetter;
import io.callhook.model.SourceCoordinates;
import io.callhook.model.WebhookRequest;
import java.nio.ByteBuffer;
import java.time.Clock;

/** Builds the dead letters of the enricher, each with a reason code, a reason and where it came from. */
public final class DeadLetters {

    /** Decodable, but breaks the rules of its topic. */
    public static final String INVALID_RECORD = "INVALID_RECORD";
    /** Could not be decoded as its topic's type. */
    public static final String UNDECODABLE = "UNDECODABLE";
    /** Processing it failed unexpectedly. */
    public static final String PROCESSING_ERROR = "PROCESSING_ERROR";
    /** A subscription larger than the enricher holds ({@code callhook.enricher.max-subscription-bytes}). */
    public static final String SUBSCRIPTION_TOO_LARGE = "SUBSCRIPTION_TOO_LARGE";
    /** A subscription past its account's cap ({@code callhook.enricher.max-subscriptions-per-account}). */
    public static final String TOO_MANY_SUBSCRIPTIONS = "TOO_MANY_SUBSCRIPTIONS";
    /**
     * A webhook rendered for a disabled subscription (a test call to it): kept with its request, to
     * be replayed once the subscription is enabled. The dispatcher uses the same code.
     */
    public static final String SUBSCRIPTION_DISABLED = "SUBSCRIPTION_DISABLED";

    private static final int MAX_REASON = 2000;

    private final Clock clock;

    public DeadLetters(Clock clock) {
        this.clock = clock;
    }

    public DeadLetter invalid(String topic, int partition, long offset, String reason) {
        return base(INVALID_RECORD, reason, topic, partition, offset).build();
    }

    /** A subscription the enricher does not hold, naming it and its account. */
    public DeadLetter subscriptionRefused(String reasonCode, String reason, String subscriptionId, long accountId,
                                          String topic, int partition, long offset) {
        return base(reasonCode, reason, topic, partition, offset).setSubscriptionId(subscriptionId).setAccountId(accountId).build();
    }

    /** A webhook rendered for a disabled subscription, with its request, replayable once the subscription is enabled. */
    public DeadLetter disabled(WebhookRequest request, String topic, int partition, long offset) {
        String reason = (request.getTest() ? "test call " : "call ") + request.getCallId() + " (" + request.getPhase()
                + ") for subscription " + request.getSubscriptionId() + ", which is disabled: not sent; replay it once"
                + " the subscription is enabled";
        return base(SUBSCRIPTION_DISABLED, reason, topic, partition, offset)
                .setSubscriptionId(request.getSubscriptionId())
                .setAccountId(request.getAccountId())
                .setRequest(request)
                .build();
    }

    /** A record that could not be read or processed, with its bytes as they were. */
    public DeadLetter unreadable(String reasonCode, String reason, String topic, int partition, long offset,
                                 byte[] rawKey, byte[] rawValue) {
        return base(reasonCode, reason, topic, partition, offset)
                .setRawKey(rawKey == null ? null : ByteBuffer.wrap(rawKey))
                .setRawValue(rawValue == null ? null : ByteBuffer.wrap(rawValue))
                .build();
    }

    private DeadLetter.Builder base(String code, String reason, String topic, int partition, long offset) {
        return DeadLetter.newBuilder()
                .setReasonCode(code)
                .setReason(reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) + "…" : reason)
                .setSource(new SourceCoordinates(topic, partition, offset))
                .setDeadAt(clock.instant());
    }
}
