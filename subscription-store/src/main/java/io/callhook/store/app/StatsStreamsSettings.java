package io.callhook.store.app;

import io.callhook.model.DeadLetter;
import io.callhook.store.stats.InputHealth;
import io.callhook.store.stats.StatsInputErrors;
import io.callhook.topic.Topic;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams properties of the store's counters, the same for the app and its topology tests. */
public final class StatsStreamsSettings {

    private StatsStreamsSettings() {
    }

    public static Properties properties(StoreConfig config, Topic<String, DeadLetter> deadLetters, InputHealth inputHealth) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, config.advertisedHost() + ":" + config.httpPort());
        // Counter updates and the attempt ids seen commit together: a crash neither loses nor doubles a count.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
        // A record that cannot be read or counted is dead-lettered, unless the registry or broker is to
        // blame: then it is waited for (see StatsInputErrors).
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, StatsInputErrors.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, StatsInputErrors.class);
        props.put(StatsInputErrors.DEAD_LETTER_TOPIC, deadLetters.name());
        props.put(StatsInputErrors.DEAD_LETTER_SERIALIZER, deadLetters.valueSerde().serializer());
        props.put(StatsInputErrors.HEALTH, inputHealth);
        // A stream thread that failed (the registry away) is replaced by a new group member; the old
        // one does not leave the group and is waited for until its session times out. 10 s (Kafka's
        // default until 3.0) rather than 45 s: the counters are back that much sooner.
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        config.stateDir().ifPresent(dir -> props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString()));
        // Static membership: a restarted instance takes its tasks back without a rebalance.
        props.putAll(config.kafka().membership().consumerConfig());
        // Operators' kafka.* settings (security, tuning) come last and win.
        props.putAll(config.kafka().kafkaOverrides());
        return props;
    }
}
