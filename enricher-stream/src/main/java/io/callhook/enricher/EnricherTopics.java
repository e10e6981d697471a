package io.callhook.enricher;

import io.callhook.model.AccountSubscription;
import io.callhook.model.VisitSnapshot;
import io.callhook.serde.SerdeFactory;
import io.callhook.topic.Topic;
import io.callhook.topic.Topics;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topics the enricher reads and writes: the shared ones of {@link Topics} plus two of its
 * own, both compacted and written only by the enricher, that feed its global tables:
 *
 * <ul>
 *   <li>{@code <applicationId>.visits-valid}, key visitor id, value {@link VisitSnapshot}: the
 *       visits that passed the checks (a global table restored from the raw visits topic would
 *       load records that were dead-lettered);</li>
 *   <li>{@code <applicationId>.account-subscriptions}, key {@code accountId|subscriptionId},
 *       value {@link AccountSubscription}: every valid subscription the enricher holds, without
 *       its secrets, one record each, so a call finds its account's subscriptions with one
 *       prefix scan.</li>
 * </ul>
 */
public record EnricherTopics(Topics shared, Topic<String, VisitSnapshot> validVisits,
                             Topic<String, AccountSubscription> accountSubscriptions) {

    public static EnricherTopics of(Topics shared, String applicationId, SerdeFactory serdes) {
        return new EnricherTopics(shared,
                new Topic<>(applicationId + ".visits-valid", Serdes.String(), shared.visits().valueSerde()),
                new Topic<>(applicationId + ".account-subscriptions", Serdes.String(),
                        serdes.forValue(AccountSubscription.class)));
    }
}
