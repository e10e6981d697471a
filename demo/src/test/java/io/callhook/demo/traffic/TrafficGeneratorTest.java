package io.callhook.demo.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.callhook.demo.Traffic;
import io.callhook.model.CallEvent;
import io.callhook.model.CallPhase;
import io.callhook.model.Product;
import io.callhook.model.VisitSnapshot;
import io.callhook.topic.TopicNames;
import io.callhook.topic.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TrafficGeneratorTest {

    private static final Topics TOPICS = new Topics(TopicNames.DEFAULTS, new PlainAvroSerdes());
    private static final Deserializer<CallEvent> CALLS = TOPICS.callEvents().valueSerde().deserializer();
    private static final Deserializer<VisitSnapshot> VISITS = TOPICS.visits().valueSerde().deserializer();
    private static final List<Long> ACCOUNTS = List.of(41L, 42L, 43L, 44L);

    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    private TrafficGenerator generator;

    @AfterEach
    void stop() {
        if (generator != null) {
            generator.stop();
        }
    }

    private TrafficSettings settings(double rate) {
        return new TrafficSettings(rate, ACCOUNTS, 0.2, Duration.ofMillis(20), Duration.ofMillis(50),
                Duration.ofMillis(400), 11);
    }

    private TrafficGenerator generator(TrafficSettings settings) {
        generator = new TrafficGenerator(producer, TOPICS, new Traffic(7, Instant.parse("2026-01-01T00:00:00Z")), settings);
        return generator;
    }

    @Test
    void publishesTheVisitFirstThenStartedThenEndedOfEachCall() {
        long before = System.currentTimeMillis();
        generator(settings(100)).start();
        await().atMost(Duration.ofSeconds(10)).until(() -> generator.stats().ended() >= 100);
        generator.stop();

        List<ProducerRecord<String, byte[]>> sent = producer.history();
        Map<String, Integer> visitAt = new HashMap<>();
        Map<String, VisitSnapshot> visitsById = new HashMap<>();
        Map<Long, Integer> startedAt = new HashMap<>();
        Map<Long, CallEvent> startedById = new HashMap<>();
        Map<Long, Integer> endedAt = new HashMap<>();
        List<CallEvent> starts = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            ProducerRecord<String, byte[]> record = sent.get(i);
            if (record.topic().equals(TOPICS.visits().name())) {
                VisitSnapshot visit = VISITS.deserialize(record.topic(), record.value());
                assertThat(record.key()).isEqualTo(visit.getVisitorId());
                assertThat(visitAt.put(record.key(), i)).as("one visit per visitor").isNull();
                visitsById.put(record.key(), visit);
                continue;
            }
            assertThat(record.topic()).isEqualTo(TOPICS.callEvents().name());
            CallEvent call = CALLS.deserialize(record.topic(), record.value());
            assertThat(record.key()).isEqualTo(Long.toString(call.getCallId()));
            if (call.getPhase() == CallPhase.STARTED) {
                assertThat(startedAt.put(call.getCallId(), i)).as("one STARTED per call").isNull();
                startedById.put(call.getCallId(), call);
                starts.add(call);
            } else {
                assertThat(startedAt).as("ENDED after its STARTED").containsKey(call.getCallId());
                assertThat(endedAt.put(call.getCallId(), i)).as("one ENDED per call").isNull();
                CallEvent start = startedById.get(call.getCallId());
                // The same call: only what the end adds differs.
                assertThat(call.getClientPhone()).isEqualTo(start.getClientPhone());
                assertThat(call.getVisitorId()).isEqualTo(start.getVisitorId());
                assertThat(call.getAccountId()).isEqualTo(start.getAccountId());
                assertThat(call.getEventId()).isEqualTo("evt-" + call.getCallId() + "-end");
                assertThat(call.getOccurredAt()).isAfterOrEqualTo(start.getOccurredAt());
                assertThat(call.getDurationSec()).isNotNull();
            }
        }

        // Every call that started also ended: stop hangs up the open ones.
        assertThat(endedAt.keySet()).isEqualTo(startedAt.keySet());
        assertThat(starts).hasSizeGreaterThanOrEqualTo(100);
        for (CallEvent call : starts) {
            assertThat(call.getCallId()).isBetween(before, (1L << 52) - 1);
            assertThat(call.getProduct()).isEqualTo(Traffic.productOf(call.getAccountId()));
            assertThat(call.getCallDate()).isEqualTo(call.getOccurredAt());
            if (call.getVisitorId() != null) {
                assertThat(visitAt.get(call.getVisitorId())).as("visit before the call").isLessThan(startedAt.get(call.getCallId()));
                VisitSnapshot visit = visitsById.get(call.getVisitorId());
                assertThat(visit.getIp()).isEqualTo(call.getClientIp());
                assertThat(Duration.between(visit.getUpdatedAt(), call.getOccurredAt())).isGreaterThanOrEqualTo(Duration.ofMillis(20));
            }
        }
        assertThat(starts).extracting(CallEvent::getCallId).doesNotHaveDuplicates();
        assertThat(starts).extracting(CallEvent::getProduct).contains(Product.CALLKEEPER, Product.CALLTRACKING);
        assertThat(starts).extracting(CallEvent::getAccountId).containsAll(ACCOUNTS);
        assertThat(starts).filteredOn(call -> call.getVisitorId() == null).isNotEmpty();
        assertThat(starts).filteredOn(call -> call.getVisitorId() != null).hasSizeGreaterThan(starts.size() / 2);
        assertThat(starts).extracting(CallEvent::getClientIp).contains("8.8.8.8").containsAnyOf("77.50.1.1", "212.164.64.1", "2.63.208.1");

        TrafficStats stats = generator.stats();
        assertThat(stats.started()).isEqualTo(startedAt.size());
        assertThat(stats.ended()).isEqualTo(endedAt.size());
        assertThat(stats.callEvents()).isEqualTo(startedAt.size() + endedAt.size());
        assertThat(stats.visits()).isEqualTo(visitAt.size());
        assertThat(stats.calls()).isGreaterThanOrEqualTo(stats.started());
        assertThat(stats.failed()).isZero();
    }

    @Test
    void keepsRoughlyToTheRate() throws InterruptedException {
        generator(settings(50)).start();
        long start = System.nanoTime();
        Thread.sleep(3000);
        long calls = generator.stats().calls();
        double seconds = (System.nanoTime() - start) / 1e9;

        // 150 expected; a Poisson count's deviation is about 12.
        assertThat((double) calls).isBetween(50 * seconds * 0.6, 50 * seconds * 1.4);
    }

    @Test
    void stopStopsAndAGeneratorRunsOnce() throws InterruptedException {
        generator(settings(200)).start();
        await().atMost(Duration.ofSeconds(10)).until(() -> generator.stats().started() >= 20);
        assertThat(generator.running()).isTrue();

        generator.stop();
        int sent = producer.history().size();
        Thread.sleep(500);

        assertThat(generator.running()).isFalse();
        assertThat(producer.history()).hasSize(sent);
        generator.stop();
        assertThatThrownBy(generator::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void countsWhatCouldNotBePublishedAndGoesOn() {
        failSends(new KafkaException("broker unavailable"));
        generator(settings(100).withWithoutVisitor(0)).start();

        await().atMost(Duration.ofSeconds(10)).until(() -> generator.stats().failed() >= 20);

        assertThat(generator.running()).isTrue();
        TrafficStats stats = generator.stats();
        assertThat(stats.visits()).isZero();
        assertThat(stats.started()).isZero();
        failSends(null);
        await().atMost(Duration.ofSeconds(10)).until(() -> generator.stats().started() >= 5);
    }

    /** Set under the producer's lock, which its send() takes, so the scheduler thread sees it. */
    private void failSends(RuntimeException error) {
        synchronized (producer) {
            producer.sendException = error;
        }
    }

    @Test
    void callIdsDoNotRepeatAcrossRestarts() {
        Set<Long> ids = new HashSet<>();
        for (int run = 0; run < 2; run++) {
            producer.clear();
            generator = null;
            generator(settings(500).withWithoutVisitor(1)).start();
            await().atMost(Duration.ofSeconds(10)).until(() -> generator.stats().started() >= 100);
            generator.stop();
            for (ProducerRecord<String, byte[]> record : producer.history()) {
                CallEvent call = CALLS.deserialize(record.topic(), record.value());
                if (call.getPhase() == CallPhase.STARTED) {
                    assertThat(ids.add(call.getCallId())).as("call id %d seen before", call.getCallId()).isTrue();
                }
            }
        }
    }
}
