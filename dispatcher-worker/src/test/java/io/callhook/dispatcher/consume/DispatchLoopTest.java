package io.callhook.dispatcher.consume;

import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.dispatcher.engine.Delivery;
import io.callhook.dispatcher.publish.OutcomeWriter;
import io.callhook.dispatcher.publish.Outputs;
import io.callhook.dispatcher.publish.Publisher;
import io.callhook.model.WebhookRequest;
import io.callhook.serde.SerdeFactory;
import io.callhook.topic.TopicNames;
import io.callhook.topic.Topics;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The loop's end by an error, with Kafka's mock consumer: no broker, no engine. */
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

    private static DispatchLoop loop(MockConsumer<String, byte[]> consumer) {
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
        return new DispatchLoop(consumer, (topic, bytes) -> (WebhookRequest) null, OUTBOUND.topic(), List.of(),
                nothingBuffered, new Outputs(publisher, new OutcomeWriter(Clock.systemUTC())), Clock.systemUTC(), 100);
    }
}
