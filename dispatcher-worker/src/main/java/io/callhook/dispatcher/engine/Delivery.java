package io.callhook.dispatcher.engine;

import io.callhook.model.SourceCoordinates;
import io.callhook.model.WebhookRequest;

/**
 * One webhook request read from Kafka, waiting to be delivered (or retried). {@code finished}
 * runs once every write its outcome needs has reached the broker: only then may its offset be
 * committed.
 */
public record Delivery(WebhookRequest request, SourceCoordinates source, Runnable finished) {
}
