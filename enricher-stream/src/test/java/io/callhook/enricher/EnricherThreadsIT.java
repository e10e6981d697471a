package io.callhook.enricher;

import static io.callhook.enricher.RunningEnricher.awaitRunning;
import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.enricher.app.EnricherApp;
import io.callhook.enricher.app.EnricherConfig;
import io.callhook.enricher.geo.GeoLookups;
import io.callhook.serde.RegistryConfig;
import io.callhook.service.kafka.KafkaSettings;
import io.callhook.service.kafka.TopicLayout;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import io.callhook.testkit.ScratchDirs;
import io.callhook.topic.TopicNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every stream thread reads its share of the call partitions, also after a restart on the same
 * state folder. Kafka Streams balances a thread's tasks by count and, on a restart, hands the
 * first thread the tasks whose state it finds on disk: when the enricher was one application,
 * one thread got all six call tasks and the other the idle subscription and visit tasks, and the
 * enricher ran at half its rate (the enricher benchmark's measured run, which restarts on the
 * warm-up's state, showed it: 60,000 events/s with all call tasks on one thread, 77,000 spread).
 */
@RealInfra
class EnricherThreadsIT {

    @Test
    void bothStreamThreadsReadHalfTheCallPartitionsAfterARestart(Infra infra) throws Exception {
        TopicNames names = TopicNames.DEFAULTS.withPrefix("threads.");
        Path state = ScratchDirs.create("enricher-threads");
        EnricherConfig config = new EnricherConfig(new KafkaSettings(infra.bootstrapServers(),
                new RegistryConfig(infra.registryBaseUrl(), true), names, new TopicLayout(true, 6, (short) -1), Map.of()),
                "enricher-threads-it", 2, Optional.of(state), Duration.ofMillis(100), Optional.empty(), "127.0.0.1", 0);

        for (String run : new String[] {"first start", "restart on the same state"}) {
            try (EnricherApp app = EnricherApp.start(config, GeoLookups.open(Optional.empty()), url -> Optional.empty(),
                    new SimpleMeterRegistry())) {
                awaitRunning(app);
                Map<String, Integer> callPartitions = app.callPartitionsByThread();
                assertThat(callPartitions.values().stream().mapToInt(Integer::intValue).sum()).as(run).isEqualTo(6);
                assertThat(callPartitions.entrySet()).as(run + ": call partitions by stream thread " + callPartitions)
                        .filteredOn(thread -> thread.getValue() > 0).hasSize(2)
                        .allSatisfy(thread -> assertThat(thread.getValue()).isEqualTo(3));
            }
        }
    }
}
