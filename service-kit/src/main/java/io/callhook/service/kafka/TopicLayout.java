package io.callhook.service.kafka;

import io.callhook.service.Config;
import io.callhook.service.ConfigKey;
import java.util.List;

/**
 * How the topics a service creates at start are laid out, when they do not exist yet.
 *
 * @param create            whether to create missing topics at all (off where operators own topics)
 * @param partitions        partitions of each created topic
 * @param replicationFactor replicas of each created topic; -1 takes the broker's default
 */
public record TopicLayout(boolean create, int partitions, short replicationFactor) {

    public static final ConfigKey<Boolean> CREATE = ConfigKey.bool("callhook.topics.create",
            "Create the topics this service needs at start when they are missing.").withDefault("true");
    public static final ConfigKey<Integer> PARTITIONS = ConfigKey.intRange("callhook.topics.partitions",
            "Partitions of topics created at start: the most parallel consumers of each.", 1, 1000).withDefault("6");
    public static final ConfigKey<Integer> REPLICATION_FACTOR = ConfigKey.intRange("callhook.topics.replication-factor",
            "Replicas of topics created at start; -1 takes the broker's default.replication.factor.", -1, 16)
            .withDefault("-1");
    public static final List<ConfigKey<?>> KEYS = List.of(CREATE, PARTITIONS, REPLICATION_FACTOR);

    public static TopicLayout from(Config config) {
        int replication = config.get(REPLICATION_FACTOR);
        if (replication == 0) {
            throw new IllegalArgumentException(REPLICATION_FACTOR.name() + " = 0: use -1 for the broker's default or 1..16");
        }
        return new TopicLayout(config.get(CREATE), config.get(PARTITIONS), (short) replication);
    }
}
