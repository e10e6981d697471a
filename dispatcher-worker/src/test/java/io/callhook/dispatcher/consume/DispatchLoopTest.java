package io.callhook.dispatcher.consume;

import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.dispatcher.engine.Delivery;
import io.callhook.dispatcher.publish.OutcomeWriter;
import io.callhook.dispatcher.publish.Outputs;
import io.callhook.dispatcher.publish.Publisher;
import io.callhook.model.CallPhase;
import io.callhook.model.HttpMethod;
import io.callhook.model.Product;
import io.callhook.model.WebhookRequest;
import io.callhook.serde.SerdeFactory;
import io.callhook.topic.TopicNames;
import io.callhook.topic.Topics;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The loop with Kafka's mock consumer: no broker, no engine. */
class DispatchLoopTest {

    private static final TopicPartition OUTBOUND = new TopicPartition("outbound", 0);

    @Test
    void anErrorThatEndsTheLoopIsReportedAfterItLeftItsGroup() throws Exception {
        MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(OUTBOUND));
            consumer.updateBeginningOffsets(Map.of(OUTBOUND, 0L));
        });
        consumer.schedulePollTask(() -> consumer.setPollException(new KafkaException("fenced, say")));
        DispatchLoop loop = loop(consumer);

        Thread thread = new Thread(loop, "dispatch-loop");
        thread.start();
        Throwable cause = loop.failure().toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(cause).isInstanceOf(KafkaException.class).hasMessage("fenced, say");
        assertThat(loop.failed()).contains(cause);
        assertThat(loop.isPolling()).isFalse();
        assertThat(consumer.closed()).as("the consumer is closed (the group left) before the failure is reported").isTrue();
        thread.join(5_000);
        assertThat(thread.isAlive()).isFalse();
    }

    @Test
    void aStopByCloseIsNoFailure() throws Exception {
        MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
        DispatchLoop loop = loop(consumer);
        Thread thread = new Thread(loop, "dispatch-loop");
        thread.start();

        loop.close();

        thread.join(5_000);
        assertThat(thread.isAlive()).isFalse();
        assertThat(loop.failed()).isEmpty();
        assertThat(loop.failure().toCompletableFuture().isDone()).isFalse();
    }

    /**
     * After a broker outage the group may take the partition and give it back at its last
     * commit, behind what the loop already handed to the engine (those deliveries could not
     * finish while the broker was gone). The records read again are not delivered again; the
     * commit goes on once they finish.
     */
    @Test
    void recordsReadAgainAfterThePartitionCameBackAreNotDeliveredTwice() throws Exception {
        AtomicReference<ConsumerRebalanceListener> listener = new AtomicReference<>();
        MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest") {
            @Override
            public synchronized void subscribe(Collection<String> topics, ConsumerRebalanceListener rebalance) {
                listener.set(rebalance);
                super.subscribe(topics, rebalance);
            }
        };
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(OUTBOUND));
            consumer.updateBeginningOffsets(Map.of(OUTBOUND, 0L));
            addRecords(consumer, 0, 3);
        });
        // What Kafka's consumer does when the group went on without it and takes it back: the
        // partition is lost, assigned again and read from its last commit (nothing finished: 0,
        // or none yet if the loop has not committed by then).
        consumer.schedulePollTask(() -> {
            listener.get().onPartitionsLost(List.of(OUTBOUND));
            listener.get().onPartitionsAssigned(List.of(OUTBOUND));
            consumer.seek(OUTBOUND, 0);
            addRecords(consumer, 0, 4);
        });
        List<Delivery> submitted = new CopyOnWriteArrayList<>();
        DispatchLoop loop = loop(consumer, new DeliverySink() {
            @Override
            public void submit(Delivery delivery) {
                submitted.add(delivery);
            }

            @Override
            public int buffered() {
                return 0;
            }
        });
        Thread thread = new Thread(loop, "dispatch-loop");
        thread.start();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> submitted.size() >= 4);
            Thread.sleep(500);
            assertThat(submitted).extracting(delivery -> delivery.source().getOffset())
                    .as("each offset handed to the engine once").containsExactly(0L, 1L, 2L, 3L);

            submitted.forEach(delivery -> delivery.finished().run());
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    consumer.committed(Set.of(OUTBOUND)).get(OUTBOUND)).isEqualTo(new OffsetAndMetadata(4)));
        } finally {
            loop.close();
            thread.join(5_000);
        }
    }

    private static void addRecords(MockConsumer<String, byte[]> consumer, long from, long to) {
        for (long offset = from; offset < to; offset++) {
            consumer.addRecord(new ConsumerRecord<>(OUTBOUND.topic(), OUTBOUND.partition(), offset, "k", new byte[0]));
        }
    }

    private static WebhookRequest request() {
        Instant now = Instant.now();
        return WebhookRequest.newBuilder().setWebhookId("w").setSubscriptionId("s").setAccountId(1)
                .setProduct(Product.CALLTRACKING).setCallId(1).setPhase(CallPhase.ENDED).setUrl("https://example.test/")
                .setMethod(HttpMethod.POST).setHeaders(Map.of()).setBody(ByteBuffer.allocate(0)).setEventTime(now)
                .setCreatedAt(now).build();
    }

    private static DispatchLoop loop(MockConsumer<String, byte[]> consumer) {
        DeliverySink nothingBuffered = new DeliverySink() {
            @Override
            public void submit(Delivery delivery) {
                throw new AssertionError("nothing is read in these tests");
            }

            @Override
            public int buffered() {
                return 0;
            }
        };
        return loop(consumer, nothingBuffered);
    }

    private static DispatchLoop loop(MockConsumer<String, byte[]> consumer, DeliverySink sink) {
        SerdeFactory noRegistry = new SerdeFactory() {
            @Override
            public <T extends org.apache.avro.specific.SpecificRecord> org.apache.kafka.common.serialization.Serde<T> forValue(Class<T> type) {
                return org.apache.kafka.common.serialization.Serdes.serdeFrom(
                        (topic, value) -> {
                            throw new AssertionError("nothing is written in these tests");
                        },
                        (topic, bytes) -> {
                            throw new AssertionError("nothing is read in these tests");
                        });
            }
        };
        Publisher publisher = new Publisher(new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer()),
                new Topics(TopicNames.DEFAULTS, noRegistry));
        return new DispatchLoop(consumer, (topic, bytes) -> request(), OUTBOUND.topic(), List.of(), sink, new Outputs(publisher, new OutcomeWriter(Clock.systemUTC())), Clock.systemUTC(), 100);
    }
}
