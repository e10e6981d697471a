package io.callhook.store.stats;

import io.callhook.model.DeadLetter;
import io.callhook.model.DeliveryAttempt;
import io.callhook.model.SubscriptionStats;
import io.callhook.topic.Topic;
import io.callhook.topic.Topics;
import java.time.Clock;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.Stores;

/**
 * The subscription store's Kafka Streams topology: what customers see of their deliveries.
 *
 * <pre>
 * webhooks.attempts    (key subscription id) ─┐
 *                                             ├─► store subscription-stats (subscription id → SubscriptionStats)
 * webhooks.dead-letter (key subscription id) ─┘       + store seen-attempts (attempt id → first seen), for de-duplication
 *                                                     + store attempt-log (subscription id/time/attempt id → DeliveryAttempt), paged
 *          └─► an endpoint failing for the auto-disable period, reported to {@link FailingEndpoints}
 * an attempt that cannot be read or counted ─► webhooks.dead-letter (key as read), see {@link StatsInputErrors}
 * </pre>
 *
 * Both inputs are keyed by subscription id with the same partition count, so one task holds
 * every record of a subscription and its stats. The stats are served by interactive queries.
 */
public final class StatsTopology {

    public static final String STATS_STORE = "subscription-stats";
    public static final String SEEN_STORE = "seen-attempts";
    /** Each subscription's attempts, newest first: see {@link AttemptLog}. */
    public static final String LOG_STORE = "attempt-log";

    private StatsTopology() {
    }

    /** @param health told of every record counted, so that readiness knows when an input waits no longer */
    public static Topology build(Topics topics, Serde<SubscriptionStats> statsSerde, Clock clock, AutoDisable autoDisable,
                                 InputHealth health) {
        StreamsBuilder builder = new StreamsBuilder();
        // Cached: a subscription's counters change with every attempt, and its changelog needs only
        // the last value of each commit interval (a record per attempt was most of what one webhook
        // cost the broker). The attempt ids and the attempt log are one key per attempt: nothing to merge.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATS_STORE),
                Serdes.String(), statsSerde).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SEEN_STORE),
                Serdes.String(), Serdes.Long()));
        Topic<String, DeliveryAttempt> attempts = topics.attempts();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LOG_STORE),
                Serdes.String(), attempts.valueSerde()));
        builder.stream(attempts.name(), Consumed.with(attempts.keySerde(), attempts.valueSerde()).withName("read-attempts"))
                .process(() -> new AttemptCounter(clock, autoDisable, health), Named.as("count-attempts"),
                        STATS_STORE, SEEN_STORE, LOG_STORE);
        Topic<String, DeadLetter> deadLetters = topics.deadLetters();
        builder.stream(deadLetters.name(), Consumed.with(deadLetters.keySerde(), deadLetters.valueSerde()).withName("read-dead-letters"))
                .process(() -> new DeadLetterRecorder(health), Named.as("record-dead-letters"), STATS_STORE);
        return builder.build();
    }
}
