package io.callhook.enricher.app;

import io.callhook.enricher.EnricherMetrics;
import io.callhook.enricher.EnricherTopics;
import io.callhook.enricher.EnricherTopology;
import io.callhook.service.kafka.TopicProvisioner;
import io.callhook.service.kafka.TopicProvisioner.TopicSpec;
import io.callhook.enricher.geo.GeoLookup;
import io.callhook.serde.AvroSerdes;
import io.callhook.service.HealthStatus;
import io.callhook.subscription.SubscriptionRules;
import io.callhook.subscription.UrlCheck;
import io.callhook.topic.TopicNames;
import io.callhook.topic.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running enricher: creates the topics it needs, starts the topology on Kafka Streams and
 * reports its health. {@link Main} wires it; integration tests start it in-process too.
 */
public final class EnricherApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EnricherApp.class);
    private static final Duration THREAD_RESTART_DELAY = Duration.ofSeconds(2);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final EnricherConfig config;
    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;

    private EnricherApp(EnricherConfig config, KafkaStreams streams, KafkaStreamsMetrics streamsMetrics) {
        this.config = config;
        this.streams = streams;
        this.streamsMetrics = streamsMetrics;
    }

    /** Provisions topics and starts processing; returns once Kafka Streams has started (not yet RUNNING). */
    public static EnricherApp start(EnricherConfig config, GeoLookup geo, UrlCheck urlCheck, MeterRegistry registry)
            throws InterruptedException {
        AvroSerdes serdes = new AvroSerdes(config.registry());
        Topics shared = new Topics(config.topics(), serdes);
        EnricherTopics topics = EnricherTopics.of(shared, config.applicationId(), serdes);
        provisionTopics(config, topics);
        serdes.registerValueSchemas(EnricherTopology.writtenSchemas(topics, config.applicationId()));
        // The contracts of what others write, published whichever service starts first.
        serdes.registerValueSchemas(Topics.inputSchemas(config.topics()));

        EnricherMetrics enricherMetrics = new EnricherMetrics(registry);
        Topology topology = EnricherTopology.build(topics, new SubscriptionRules(urlCheck), config.subscriptionLimits(), geo,
                Clock.systemUTC(), enricherMetrics);
        LOG.debug("Topology:\n{}", topology.describe());
        KafkaStreams streams = new KafkaStreams(topology, StreamsSettings.properties(config,
                shared.deadLetters().valueSerde().serializer()));
        streams.setUncaughtExceptionHandler(exception -> {
            // A stream thread dies only on what the dead-letter handlers do not cover (e.g. the
            // registry or broker gone for longer than the clients retry): start it again.
            LOG.error("Stream thread failed; replacing it in {} ms", THREAD_RESTART_DELAY.toMillis(), exception);
            enricherMetrics.threadReplaced();
            try {
                // A pause, so an unreachable registry is not hammered by thread after thread.
                Thread.sleep(THREAD_RESTART_DELAY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> LOG.info("Kafka Streams state {} -> {}", before, now));
        KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams);
        metrics.bindTo(registry);
        streams.start();
        return new EnricherApp(config, streams, metrics);
    }

    private static void provisionTopics(EnricherConfig config, EnricherTopics topics) throws InterruptedException {
        TopicNames names = config.topics();
        List<TopicSpec> needed = List.of(
                new TopicSpec(names.callEvents(), false),
                new TopicSpec(names.visits(), true),
                TopicSpec.readOutside(names.subscriptions(), true),
                new TopicSpec(names.outbound(), false),
                TopicSpec.readOutside(names.deadLetters(), false),
                new TopicSpec(topics.validVisits().name(), true),
                new TopicSpec(topics.accountSubscriptions().name(), true));
        Map<String, Object> adminConfig = new java.util.HashMap<>(config.kafkaOverrides());
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        try (Admin admin = Admin.create(adminConfig)) {
            new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(config.layout(), needed);
        }
    }

    /** Ready while Kafka Streams processes: RUNNING (or briefly REBALANCING after it ran). */
    public HealthStatus readiness() {
        KafkaStreams.State state = streams.state();
        return state == KafkaStreams.State.RUNNING ? HealthStatus.up() : HealthStatus.down(state.name());
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public String applicationId() {
        return config.applicationId();
    }

    /**
     * Commits what the stream threads hold (or aborts their transactions when that fails) and
     * leaves the group, so that a static member's partitions move to the other instances at once
     * instead of waiting for its session to time out.
     */
    @Override
    public void close() {
        streamsMetrics.close();
        if (!streams.close(CloseOptions.groupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP).withTimeout(CLOSE_TIMEOUT))) {
            LOG.warn("Kafka Streams did not stop within {} s", CLOSE_TIMEOUT.toSeconds());
        }
    }
}
