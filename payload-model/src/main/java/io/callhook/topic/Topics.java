package io.callhook.topic;

import io.callhook.model.CallEvent;
import io.callhook.model.DeadLetter;
import io.callhook.model.DeliveryAttempt;
import io.callhook.model.Subscription;
import io.callhook.model.VisitSnapshot;
import io.callhook.model.WebhookRequest;
import io.callhook.serde.SerdeFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every topic of Callhook with its key and value types. Keys are UTF-8 strings, so producers in
 * any language can partition the same way; values are Avro in the Confluent wire format.
 *
 * <table>
 * <caption>Topics</caption>
 * <tr><th>topic (default name)</th><th>key</th><th>value</th></tr>
 * <tr><td>calls.events</td><td>call id</td><td>{@link CallEvent}</td></tr>
 * <tr><td>visits (compacted)</td><td>visitor id</td><td>{@link VisitSnapshot}</td></tr>
 * <tr><td>webhooks.subscriptions (compacted)</td><td>subscription id</td><td>{@link Subscription}, null = deleted</td></tr>
 * <tr><td>webhooks.outbound</td><td>subscription id</td><td>{@link WebhookRequest}</td></tr>
 * <tr><td>webhooks.retry.&lt;tier&gt;</td><td>subscription id</td><td>{@link WebhookRequest}</td></tr>
 * <tr><td>webhooks.attempts</td><td>subscription id</td><td>{@link DeliveryAttempt}</td></tr>
 * <tr><td>webhooks.dead-letter</td><td>subscription id, else the source key</td><td>{@link DeadLetter}</td></tr>
 * </table>
 */
public final class Topics {

    private final TopicNames names;
    private final Topic<String, CallEvent> callEvents;
    private final Topic<String, VisitSnapshot> visits;
    private final Topic<String, Subscription> subscriptions;
    private final Topic<String, WebhookRequest> outbound;
    private final Topic<String, DeliveryAttempt> attempts;
    private final Topic<String, DeadLetter> deadLetters;
    private final Serde<WebhookRequest> webhookRequestSerde;

    public Topics(TopicNames names, SerdeFactory serdes) {
        this.names = names;
        Serde<String> key = Serdes.String();
        this.webhookRequestSerde = serdes.forValue(WebhookRequest.class);
        this.callEvents = new Topic<>(names.callEvents(), key, serdes.forValue(CallEvent.class));
        this.visits = new Topic<>(names.visits(), key, serdes.forValue(VisitSnapshot.class));
        this.subscriptions = new Topic<>(names.subscriptions(), key, serdes.forValue(Subscription.class));
        this.outbound = new Topic<>(names.outbound(), key, webhookRequestSerde);
        this.attempts = new Topic<>(names.attempts(), key, serdes.forValue(DeliveryAttempt.class));
        this.deadLetters = new Topic<>(names.deadLetters(), key, serdes.forValue(DeadLetter.class));
    }

    /**
     * The value schema of every topic that programs outside Callhook write (the telephony
     * backend, the site tracker, a CRM writing subscriptions), by topic name. Every service
     * registers them at start under {@code <topic>-value}, whole (nested types inline, no
     * references), so such a producer can take the subject's latest version with any
     * Confluent-compatible client before a Callhook service has written the topic.
     */
    public static Map<String, Schema> inputSchemas(TopicNames names) {
        Map<String, Schema> schemas = new LinkedHashMap<>();
        schemas.put(names.callEvents(), CallEvent.getClassSchema());
        schemas.put(names.visits(), VisitSnapshot.getClassSchema());
        schemas.put(names.subscriptions(), Subscription.getClassSchema());
        return schemas;
    }

    public TopicNames names() {
        return names;
    }

    public Topic<String, CallEvent> callEvents() {
        return callEvents;
    }

    public Topic<String, VisitSnapshot> visits() {
        return visits;
    }

    public Topic<String, Subscription> subscriptions() {
        return subscriptions;
    }

    public Topic<String, WebhookRequest> outbound() {
        return outbound;
    }

    /** A retry tier topic, e.g. {@code retryTier("5s")}: same types as {@link #outbound()}. */
    public Topic<String, WebhookRequest> retryTier(String suffix) {
        return new Topic<>(names.retryTier(suffix), Serdes.String(), webhookRequestSerde);
    }

    /** Whether a topic of this name holds {@link WebhookRequest}s: the outbound topic or a retry tier. */
    public boolean holdsRequests(String topic) {
        return topic.equals(names.outbound()) || (topic.startsWith(names.retryPrefix()) && topic.length() > names.retryPrefix().length());
    }

    public Topic<String, DeliveryAttempt> attempts() {
        return attempts;
    }

    public Topic<String, DeadLetter> deadLetters() {
        return deadLetters;
    }
}
