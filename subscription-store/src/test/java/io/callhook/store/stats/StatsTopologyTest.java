package io.callhook.store.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.callhook.model.AttemptOutcome;
import io.callhook.model.CallPhase;
import io.callhook.model.DeadLetter;
import io.callhook.model.DeliveryAttempt;
import io.callhook.model.SubscriptionStats;
import io.callhook.serde.InMemoryAvroSerdes;
import io.callhook.serde.SerdeFactory;
import io.callhook.service.ConfigLoader;
import io.callhook.store.app.StatsStreamsSettings;
import io.callhook.store.app.StoreConfig;
import io.callhook.topic.TopicNames;
import io.callhook.topic.Topics;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The counters' real topology and Streams settings on TopologyTestDriver: how long an endpoint
 * has failed and when that is reported for auto-disable; what happens to records that cannot be
 * read (dead-lettered) or cannot be read yet (the registry away: waited for, readiness down).
 */
class StatsTopologyTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    /** Bytes the fake registry "cannot reach the schema of": an infrastructure failure, not the record's. */
    private static final byte[] REGISTRY_AWAY = "registry-away".getBytes(StandardCharsets.UTF_8);

    private final SerdeFactory serdes = new RegistryThatCanBeAway(new InMemoryAvroSerdes());
    private final Topics topics = new Topics(TopicNames.DEFAULTS, serdes);
    private final List<String> reported = new ArrayList<>();
    private final List<String> goneReported = new ArrayList<>();
    private final InputHealth health = new InputHealth(Clock.systemUTC());
    private TopologyTestDriver driver;
    private TestInputTopic<String, DeliveryAttempt> attempts;
    private TestInputTopic<String, byte[]> rawAttempts;
    private TestOutputTopic<String, DeadLetter> deadLetters;

    @BeforeEach
    void start() {
        start(StreamsConfig.EXACTLY_ONCE_V2);
    }

    private void start(String guarantee) {
        if (driver != null) {
            driver.close();
        }
        StoreConfig config = StoreConfig.from(ConfigLoader.load(StoreConfig.keys(), new String[0], Map.of(
                "CALLHOOK_KAFKA_BOOTSTRAP_SERVERS", "unused:9092", "CALLHOOK_REGISTRY_URL", "http://unused:8080",
                "CALLHOOK_STORE_ADMIN_TOKEN", "a".repeat(32), "CALLHOOK_STORE_INTERNAL_TOKEN", "i".repeat(32))));
        Properties props = StatsStreamsSettings.properties(config, topics.deadLetters(), health);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        AutoDisable autoDisable = new AutoDisable(Duration.ofHours(120), new FailingEndpoints() {
            @Override
            public void failingTooLong(String subscription, Instant since, Instant latest) {
                reported.add(subscription + " since " + since + " until " + latest);
            }

            @Override
            public void gone(String subscription, String gone, Instant attemptStarted) {
                goneReported.add(subscription + ": " + gone + " at " + attemptStarted);
            }
        });
        driver = new TopologyTestDriver(StatsTopology.build(topics, serdes.forValue(SubscriptionStats.class),
                Clock.fixed(T0, ZoneOffset.UTC), autoDisable, health), props, T0);
        attempts = driver.createInputTopic(topics.attempts().name(), Serdes.String().serializer(),
                topics.attempts().valueSerde().serializer());
        rawAttempts = driver.createInputTopic(topics.attempts().name(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        deadLetters = driver.createOutputTopic(topics.deadLetters().name(), Serdes.String().deserializer(),
                topics.deadLetters().valueSerde().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void anEndpointFailingEveryAttemptForThePeriodIsReported() {
        failed("sub_1", "a", 0);
        failed("sub_1", "b", 119);
        assertThat(reported).isEmpty();
        assertThat(stats("sub_1").getFailingSince()).isEqualTo(T0);

        failed("sub_1", "c", 120);

        assertThat(reported).containsExactly("sub_1 since " + T0 + " until " + T0.plus(Duration.ofHours(120)));
        failed("sub_1", "d", 121);
        assertThat(reported).as("reported again until it is disabled").hasSize(2);
    }

    @Test
    void aSuccessStartsThePeriodOverButAnOlderOneArrivingLateDoesNot() {
        failed("sub_2", "a", 0);
        attempt("sub_2", "b", 10, AttemptOutcome.DELIVERED, false);
        assertThat(stats("sub_2").getFailingSince()).isNull();
        failed("sub_2", "c", 20);
        attempt("sub_2", "late", 15, AttemptOutcome.DELIVERED, false);
        failed("sub_2", "d", 130);

        assertThat(stats("sub_2").getFailingSince()).isEqualTo(T0.plus(Duration.ofHours(20)));
        assertThat(stats("sub_2").getLastDeliveredAt()).isEqualTo(T0.plus(Duration.ofHours(15)));
        assertThat(reported).isEmpty();
        failed("sub_2", "e", 140);
        assertThat(reported).hasSize(1);
    }

    @Test
    void testCallsAndDroppedWebhooksDoNotCount() {
        for (int hour = 0; hour <= 200; hour += 50) {
            attempt("sub_3", "t" + hour, hour, AttemptOutcome.RETRYING, true);
            attempt("sub_3", "x" + hour, hour, AttemptOutcome.DROPPED, false);
        }

        assertThat(reported).isEmpty();
        assertThat(stats("sub_3").getFailingSince()).isNull();
        assertThat(stats("sub_3").getFailed()).as("still in the counters").isEqualTo(5);
    }

    @Test
    void anUndecodableAttemptIsDeadLetteredWithItsCoordinatesAndCountingGoesOn() {
        // TopologyTestDriver's exactly-once emulation drops what a deserialization handler sends;
        // at-least-once shows it. SubscriptionApiIT checks it on the real broker with exactly_once_v2.
        start(StreamsConfig.AT_LEAST_ONCE);
        byte[] garbage = "not an attempt".getBytes(StandardCharsets.UTF_8);
        rawAttempts.pipeInput("sub_4", garbage);
        attempt("sub_4", "a", 1, AttemptOutcome.DELIVERED, false);

        List<DeadLetter> letters = deadLetters.readValuesToList();
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).getReasonCode()).isEqualTo(io.callhook.deadletter.DeadLetterReason.UNDECODABLE.code());
        assertThat(letters.get(0).getSource().getTopic()).isEqualTo(topics.attempts().name());
        assertThat(letters.get(0).getSource().getOffset()).isZero();
        assertThat(letters.get(0).getRawValue().array()).isEqualTo(garbage);
        assertThat(stats("sub_4").getSent()).isEqualTo(1);
        assertThat(health.status().isUp()).isTrue();
    }

    @Test
    void anAttemptThatCannotBeReadForWantOfTheRegistryIsWaitedForNotSkipped() {
        assertThatThrownBy(() -> rawAttempts.pipeInput("sub_5", REGISTRY_AWAY)).as("the thread fails, to read it again");

        assertThat(deadLetters.isEmpty()).as("not dead-lettered").isTrue();
        assertThat(health.status().isUp()).isFalse();
        assertThat(health.status().toString()).contains(topics.attempts().name()).contains("offset 0");

        attempt("sub_5", "a", 1, AttemptOutcome.DELIVERED, false);
        assertThat(health.status().isUp()).as("an attempt at or after it was counted").isTrue();
    }

    @Test
    void aGoneAttemptIsReportedOnceWithWhatItSaysEvenWhenItsRecordComesAgain() {
        DeliveryAttempt gone = DeliveryAttempt.newBuilder().setAttemptId("w9/1").setWebhookId("w9").setSubscriptionId("sub_9")
                .setAccountId(1).setCallId(1).setPhase(CallPhase.ENDED).setAttemptNumber(1).setStartedAt(T0).setLatencyMs(5)
                .setOutcome(AttemptOutcome.DISABLED).setHttpStatus(410).setErrorMessage("410 Gone from https://crm.example.com/hook")
                .setTest(false).build();
        attempts.pipeInput("sub_9", gone);
        attempts.pipeInput("sub_9", gone);
        failed("sub_9", "w10", 1);

        assertThat(goneReported).containsExactly("sub_9: 410 Gone from https://crm.example.com/hook at " + T0);
    }

    @Test
    void theAttemptLogPagesNewestFirstFiltersByOutcomeAndCallAndKeepsEachSubscriptionApart() {
        for (int i = 0; i < 120; i++) {
            logged("sub_log", "w" + i, i, i % 3 == 0 ? AttemptOutcome.RETRYING : AttemptOutcome.DELIVERED, 100 + i % 4);
        }
        logged("sub_other", "x", 500, AttemptOutcome.DELIVERED, 100);
        logged("sub_log", "w5", 5, AttemptOutcome.RETRYING, 101);    // the same attempt read again: logged once

        List<String> all = new ArrayList<>();
        String before = null;
        int pages = 0;
        do {
            AttemptLog.Page page = AttemptLog.read(log(), new AttemptLog.Query("sub_log", before, 50, null, null, null));
            page.attempts().forEach(attempt -> all.add(attempt.getWebhookId()));
            before = page.next();
            pages++;
        } while (before != null);

        assertThat(pages).isEqualTo(3);
        assertThat(all).hasSize(120).doesNotHaveDuplicates().startsWith("w119", "w118").endsWith("w1", "w0");
        AttemptLog.Page failedOfCall = AttemptLog.read(log(), new AttemptLog.Query("sub_log", null, 200, AttemptOutcome.RETRYING, 103L, null));
        assertThat(failedOfCall.attempts()).extracting(DeliveryAttempt::getWebhookId)
                .containsExactly("w111", "w99", "w87", "w75", "w63", "w51", "w39", "w27", "w15", "w3");
        assertThat(failedOfCall.next()).isNull();
        assertThat(AttemptLog.find(log(), "sub_log", "w7/1")).map(DeliveryAttempt::getCallId).contains(103L);
        assertThat(AttemptLog.find(log(), "sub_log", "x/1")).as("another subscription's attempt").isEmpty();
        assertThat(AttemptLog.read(log(), new AttemptLog.Query("sub_other", null, 50, null, null, null)).attempts()).hasSize(1);
    }

    @Test
    void anIdThatStartsAnotherIdWithASlashKeepsItsLogApart() {
        // Ids written to the topic by others may hold any character.
        logged("a", "mine", 1, AttemptOutcome.DELIVERED, 1);
        logged("a/b", "theirs", 2, AttemptOutcome.DELIVERED, 1);
        logged("a0", "other", 3, AttemptOutcome.DELIVERED, 1);

        assertThat(AttemptLog.read(log(), new AttemptLog.Query("a", null, 50, null, null, null)).attempts())
                .extracting(DeliveryAttempt::getWebhookId).containsExactly("mine");
        assertThat(AttemptLog.read(log(), new AttemptLog.Query("a/b", null, 50, null, null, null)).attempts())
                .extracting(DeliveryAttempt::getWebhookId).containsExactly("theirs");
        assertThat(AttemptLog.trim(log(), T0.toEpochMilli())).isZero();
    }

    @Test
    void trimmingKeepsEachSubscriptionsNewestAttemptsWithinTheirAge() {
        for (int i = 0; i < AttemptLog.KEEP_PER_SUBSCRIPTION + 20; i++) {
            logged("sub_busy", "b" + i, i, AttemptOutcome.DELIVERED, 1);
        }
        logged("sub_quiet", "q", 0, AttemptOutcome.DELIVERED, 1);

        driver.advanceWallClockTime(AttemptCounter.TRIM_EVERY);
        assertThat(AttemptLog.read(log(), new AttemptLog.Query("sub_busy", null, 200, null, null, null)).attempts().get(0)
                .getWebhookId()).isEqualTo("b1019");
        assertThat(AttemptLog.find(log(), "sub_busy", "b20/1")).isPresent();
        assertThat(AttemptLog.find(log(), "sub_busy", "b19/1")).as("past the newest " + AttemptLog.KEEP_PER_SUBSCRIPTION).isEmpty();
        assertThat(AttemptLog.find(log(), "sub_quiet", "q/1")).isPresent();

        long removed = AttemptLog.trim(log(), T0.plus(AttemptLog.KEEP_FOR).plus(Duration.ofHours(5)).toEpochMilli());
        assertThat(removed).as("attempts older than " + AttemptLog.KEEP_FOR + ": minutes 20-299 of the busy one, and the quiet one").isEqualTo(281);
        assertThat(AttemptLog.find(log(), "sub_quiet", "q/1")).isEmpty();
    }

    private void logged(String subscription, String webhook, int minute, AttemptOutcome outcome, long callId) {
        attempts.pipeInput(subscription, DeliveryAttempt.newBuilder().setAttemptId(webhook + "/1").setWebhookId(webhook)
                .setSubscriptionId(subscription).setAccountId(1).setCallId(callId).setPhase(CallPhase.ENDED).setAttemptNumber(1)
                .setStartedAt(T0.plus(Duration.ofMinutes(minute))).setLatencyMs(5).setOutcome(outcome).setTest(false).build());
    }

    private KeyValueStore<String, DeliveryAttempt> log() {
        return driver.getKeyValueStore(StatsTopology.LOG_STORE);
    }

    private void failed(String subscription, String webhook, int hour) {
        attempt(subscription, webhook, hour, AttemptOutcome.RETRYING, false);
    }

    private void attempt(String subscription, String webhook, int hour, AttemptOutcome outcome, boolean test) {
        attempts.pipeInput(subscription, DeliveryAttempt.newBuilder().setAttemptId(webhook + "/1").setWebhookId(webhook)
                .setSubscriptionId(subscription).setAccountId(1).setCallId(1).setPhase(CallPhase.ENDED).setAttemptNumber(1)
                .setStartedAt(T0.plus(Duration.ofHours(hour))).setLatencyMs(5).setOutcome(outcome).setTest(test).build());
    }

    private SubscriptionStats stats(String subscription) {
        KeyValueStore<String, SubscriptionStats> store = driver.getKeyValueStore(StatsTopology.STATS_STORE);
        return store.get(subscription);
    }

    /** Our in-memory serdes, whose attempt deserializer fails as Apicurio's does when the registry is unreachable. */
    private record RegistryThatCanBeAway(SerdeFactory serdes) implements SerdeFactory {
        @Override
        public <T extends SpecificRecord> Serde<T> forValue(Class<T> type) {
            Serde<T> real = serdes.forValue(type);
            if (type != DeliveryAttempt.class) {
                return real;
            }
            Deserializer<T> deserializer = (topic, data) -> {
                if (data != null && Arrays.equals(data, REGISTRY_AWAY)) {
                    throw new SerializationException("Schema 7 is not available from the registry",
                            new SocketException("Connection refused"));
                }
                return real.deserializer().deserialize(topic, data);
            };
            return Serdes.serdeFrom(real.serializer(), deserializer);
        }
    }
}
