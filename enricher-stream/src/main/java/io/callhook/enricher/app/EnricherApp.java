package io.callhook.enricher.app;

import io.callhook.enricher.EnricherMetrics;
import io.callhook.enricher.EnricherTopics;
import io.callhook.enricher.EnricherTopology;
import io.callhook.service.kafka.StalledGroupExplainer;
import io.callhook.service.kafka.TopicProvisioner;
import io.callhook.service.kafka.TopicProvisioner.TopicSpec;
import io.callhook.enricher.geo.GeoLookup;
import io.callhook.model.DeadLetter;
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
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running enricher: creates the topics it needs, starts its two Kafka Streams applications
 * (the tables half and the calls half, see {@link EnricherTopology}) and reports their health.
 * {@link Main} wires it; integration tests start it in-process too.
 */
public final class EnricherApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EnricherApp.class);
    private static final Duration THREAD_RESTART_DELAY = Duration.ofSeconds(2);
    /**
     * How long both halves together get to commit (or abort) and leave their groups: against a
     * live broker well under a second. With the broker gone they cannot finish at all (under
     * exactly-once nothing can be committed or aborted; a stream thread retries its commit until
     * its task timeout), and a process manager's SIGKILL comes soon (the demo's at 15 s), so they
     * are left then, as by a crash: the next start aborts their transactions and restores the state.
     */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final EnricherConfig config;
    private final KafkaStreams calls;
    private final KafkaStreams tables;
    private final List<KafkaStreamsMetrics> streamsMetrics;
    private final Admin admin;
    private final StalledGroupExplainer stalled;

    private EnricherApp(EnricherConfig config, KafkaStreams calls, KafkaStreams tables, List<KafkaStreamsMetrics> streamsMetrics,
                        Admin admin, StalledGroupExplainer stalled) {
        this.config = config;
        this.calls = calls;
        this.tables = tables;
        this.streamsMetrics = streamsMetrics;
        this.admin = admin;
        this.stalled = stalled;
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
        Serializer<DeadLetter> deadLetters = shared.deadLetters().valueSerde().serializer();
        KafkaStreams tables = streams("tables", EnricherTopology.tables(topics, new SubscriptionRules(urlCheck),
                config.subscriptionLimits(), Clock.systemUTC(), enricherMetrics),
                StreamsSettings.tablesProperties(config, deadLetters), enricherMetrics);
        KafkaStreams calls = streams("calls", EnricherTopology.calls(topics, geo, Clock.systemUTC(), enricherMetrics),
                StreamsSettings.properties(config, deadLetters), enricherMetrics);
        List<KafkaStreamsMetrics> metrics = List.of(new KafkaStreamsMetrics(tables), new KafkaStreamsMetrics(calls));
        metrics.forEach(bound -> bound.bindTo(registry));
        tables.start();
        calls.start();
        Admin admin = admin(config);
        StalledGroupExplainer stalled = StalledGroupExplainer.started(admin,
                List.of(config.applicationId(), EnricherTopology.tablesApplicationId(config.applicationId())),
                () -> state(calls, tables) == KafkaStreams.State.RUNNING);
        return new EnricherApp(config, calls, tables, metrics, admin, stalled);
    }

    private static KafkaStreams streams(String half, Topology topology, Properties properties, EnricherMetrics enricherMetrics) {
        LOG.debug("Topology of the {}:\n{}", half, topology.describe());
        KafkaStreams streams = new KafkaStreams(topology, properties);
        streams.setUncaughtExceptionHandler(exception -> {
            // A stream thread dies only on what the dead-letter handlers do not cover (e.g. the
            // registry or broker gone for longer than the clients retry): start it again.
            LOG.error("Stream thread of the {} failed; replacing it in {} ms", half, THREAD_RESTART_DELAY.toMillis(), exception);
            enricherMetrics.threadReplaced();
            try {
                // A pause, so an unreachable registry is not hammered by thread after thread.
                Thread.sleep(THREAD_RESTART_DELAY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> {
            LOG.info("Kafka Streams state of the {} {} -> {}", half, before, now);
            if (now == KafkaStreams.State.RUNNING) {
                // Which thread runs which tasks: a thread without call tasks idles however busy the others are.
                streams.metadataForLocalThreads().forEach(thread -> LOG.info("{}: active tasks {}", thread.threadName(),
                        thread.activeTasks().stream().map(task -> task.taskId().toString()).sorted().toList()));
            }
        });
        return streams;
    }

    private static Admin admin(EnricherConfig config) {
        return Admin.create(config.kafka().clientConfig(Map.of()));
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
        try (Admin admin = admin(config)) {
            new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(config.layout(), needed);
        }
    }

    /**
     * Ready while both halves process: RUNNING (or briefly REBALANCING after they ran); when not
     * for long, the reason names what holds them, if a transaction does.
     */
    public HealthStatus readiness() {
        KafkaStreams.State state = state();
        return state == KafkaStreams.State.RUNNING ? HealthStatus.up() : HealthStatus.down(state.name() + stalled.explanation());
    }

    /** RUNNING when both halves run, else the state of one that does not. */
    public KafkaStreams.State state() {
        return state(calls, tables);
    }

    private static KafkaStreams.State state(KafkaStreams calls, KafkaStreams tables) {
        KafkaStreams.State callsState = calls.state();
        return callsState != KafkaStreams.State.RUNNING ? callsState : tables.state();
    }

    /** How many partitions of the call events topic each stream thread of this instance reads now. */
    public Map<String, Integer> callPartitionsByThread() {
        Map<String, Integer> byThread = new TreeMap<>();
        for (KafkaStreams streams : List.of(calls, tables)) {
            streams.metadataForLocalThreads().forEach(thread -> byThread.put(thread.threadName(), (int) thread.activeTasks().stream()
                    .flatMap(task -> task.topicPartitions().stream())
                    .filter(partition -> partition.topic().equals(config.topics().callEvents()))
                    .count()));
        }
        return byThread;
    }

    public String applicationId() {
        return config.applicationId();
    }

    /**
     * Commits what the stream threads hold (or aborts their transactions when that fails) and
     * leaves the groups, so that a static member's partitions move to the other instances at once
     * instead of waiting for its session to time out. Both halves stop at once (a close without
     * a wait starts the shutdown; the second close waits for it).
     */
    @Override
    public void close() {
        stalled.close();
        streamsMetrics.forEach(KafkaStreamsMetrics::close);
        List<KafkaStreams> halves = List.of(calls, tables);
        halves.forEach(streams -> streams.close(closeOptions(Duration.ZERO)));
        long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
        for (KafkaStreams streams : halves) {
            if (!streams.close(closeOptions(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))))) {
                LOG.warn("Kafka Streams did not stop within {} s (is the broker gone?); its open transactions are aborted "
                        + "when the enricher starts again", CLOSE_TIMEOUT.toSeconds());
            }
        }
        // Only the explainer asks it anything: what it still waits for is of no use now.
        admin.close(Duration.ZERO);
    }

    private static CloseOptions closeOptions(Duration timeout) {
        return CloseOptions.groupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP).withTimeout(timeout);
    }
}
