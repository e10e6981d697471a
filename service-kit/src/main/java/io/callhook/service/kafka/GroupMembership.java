package io.callhook.service.kafka;

import io.callhook.service.Config;
import io.callhook.service.ConfigKey;
import io.callhook.service.Parsed;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * How an instance belongs to its service's consumer group: the enricher's and the store's Kafka
 * Streams apps, the dispatcher's consumer.
 *
 * <p>With an instance id, membership is <em>static</em> (Kafka's {@code group.instance.id}; Kafka
 * Streams adds {@code -1}, {@code -2}... per stream thread). An instance that comes back under
 * the same id takes over its own partitions at once, without a rebalance: after a crash
 * (SIGKILL) its old member is replaced by the restarted one instead of holding the group until
 * its session times out. An instance that crashes and does not come back holds its partitions
 * until {@code session.timeout.ms} (Kafka's default 45 s, {@code kafka.session.timeout.ms})
 * passes, exactly as a dynamic member would. A service stopped by SIGTERM or SIGINT leaves its
 * group explicitly, so the others take its partitions at once.
 *
 * <p>The id must be stable across restarts and unique among the running instances of a
 * service: a second instance under the same id fences the first. The default,
 * {@code <host name>-<ops port>}, is both where the ops port is fixed, since two instances on one
 * host cannot share an ops port; with an ops port of 0 (a free one each time) there is no stable
 * default and membership stays dynamic.
 *
 * @param instanceId the static id; empty for dynamic membership
 */
public record GroupMembership(Optional<String> instanceId) {

    /** What {@link #INSTANCE_ID} is set to for dynamic membership. */
    public static final String DYNAMIC = "none";
    // Kafka's own limit is 249 characters of [a-zA-Z0-9._-]; Kafka Streams appends "-<thread>".
    private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9._-]{1,200}");

    public static final ConfigKey<String> INSTANCE_ID = ConfigKey.of("callhook.kafka.instance-id",
            "This instance's stable name in its service's consumer group (static membership, Kafka's group.instance.id): "
                    + "a restart under the same name takes its partitions back without a rebalance. Unique among the "
                    + "instances of a service. Default: <host name>-<ops port> when the ops port is fixed; '" + DYNAMIC
                    + "' for dynamic membership.",
            raw -> VALID.matcher(raw).matches() ? Parsed.ok(raw)
                    : Parsed.invalid("is not 1 to 200 letters, digits, '.', '_' or '-'")).optional();

    public GroupMembership {
        instanceId.ifPresent(id -> {
            if (!VALID.matcher(id).matches()) {
                throw new IllegalArgumentException("group instance id '" + id + "' is not 1 to 200 letters, digits, '.', '_' or '-'");
            }
        });
    }

    /** Dynamic membership: a restart is a new member and waits for a rebalance. */
    public static GroupMembership dynamic() {
        return new GroupMembership(Optional.empty());
    }

    /** Static membership under {@code instanceId}. */
    public static GroupMembership staticAs(String instanceId) {
        return new GroupMembership(Optional.of(instanceId));
    }

    /**
     * The configured membership, else the default for an instance whose ops endpoints listen on
     * {@code opsPort}.
     */
    public static GroupMembership from(Config config, int opsPort) {
        Optional<String> configured = config.find(INSTANCE_ID);
        if (configured.isPresent()) {
            return configured.get().equals(DYNAMIC) ? dynamic() : staticAs(configured.get());
        }
        return byDefault(hostName(), opsPort);
    }

    static GroupMembership byDefault(String hostName, int opsPort) {
        if (opsPort == 0) {
            return dynamic();
        }
        String host = hostName.replaceAll("[^a-zA-Z0-9._-]", "_");
        return staticAs(host.substring(0, Math.min(host.length(), 180)) + "-" + opsPort);
    }

    /** The consumer properties that make it so (none for dynamic membership). */
    public Map<String, Object> consumerConfig() {
        return instanceId.<Map<String, Object>>map(id -> Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id)).orElse(Map.of());
    }

    private static String hostName() {
        String fromEnvironment = System.getenv("HOSTNAME");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
