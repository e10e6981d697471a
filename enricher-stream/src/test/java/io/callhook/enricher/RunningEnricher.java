package io.callhook.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.enricher.app.EnricherApp;
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;

/** Waiting for an enricher started in a test to process. */
final class RunningEnricher {

    private RunningEnricher() {
    }

    /** Blocks until both halves of {@code app} are RUNNING; fails after 60 s naming the state. */
    static void awaitRunning(EnricherApp app) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (app.state() != KafkaStreams.State.RUNNING) {
            assertThat(System.nanoTime()).as("enricher RUNNING within 60 s, state " + app.state()).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
