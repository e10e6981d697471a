package io.callhook.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.launch.ChildProcess;
import io.callhook.launch.JvmProfile;
import io.callhook.launch.StandaloneKafka;
import io.callhook.testkit.ScratchDirs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A suspect of the restart hang of issue 10, tried on a real broker process: the broker stops
 * after a service has sent its consumer offsets to a transaction and before it commits it, as
 * when a terminal's Ctrl-C reaches the broker and the services at once and a stream thread's
 * last commit (at close) meets a dying broker. While such a transaction is open, a
 * {@code read_committed} consumer's committed-offset fetch for that partition is answered
 * "unstable" and retried, and Kafka Streams gives up initialising the task after 60 s ("Timeout
 * of 60000ms expired before the last committed offset for partitions [...] could be
 * determined"), the message of the hang.
 *
 * <p>Shown here: it does not hold a restart for long. After the broker's restart the open
 * transaction is aborted within the transaction timeout Kafka Streams gives its exactly-once
 * producers (our services keep that default), or at once when its transactional id is
 * initialised again, as a restarted stream thread does (Kafka Streams keeps its process id in
 * the state directory, so the id is the same). Either way the aborted transaction's offsets are
 * not committed: the fetch answers the last committed ones.
 */
class BrokerStopMidTransactionIT {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerStopMidTransactionIT.class);

    private static final TopicPartition PARTITION = new TopicPartition("calls.events", 2);
    private static final long COMMITTED = 1;
    private static final long LEFT_OPEN = 2;
    /** The broker looks for timed-out transactions every 10 s (Kafka's default), then aborts them. */
    private static final Duration ABORT_SCAN = Duration.ofSeconds(10);
    private static final Duration SLACK = Duration.ofSeconds(10);

    private enum Stop { SIGTERM, SIGKILL }

    @ParameterizedTest
    @EnumSource(Stop.class)
    void aTransactionTheBrokerStopLeftOpenHoldsNoRestartedConsumerForLong(Stop stop) throws Exception {
        Path dir = ScratchDirs.create("broker-stop-mid-transaction").resolve("kafka");
        Path lib = DemoMain.brokerJars(PipelineTestSupport.projectRoot());
        int port = ChildProcess.freePort();
        int controllerPort = ChildProcess.freePort();
        Duration transactionTimeout = streamsTransactionTimeout();

        StandaloneKafka kafka = StandaloneKafka.start(dir, port, controllerPort, lib, JvmProfile.QUICK_START);
        String bootstrap = kafka.bootstrapServers();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(PARTITION.topic(), 3, (short) 1), new NewTopic("out", 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<byte[], byte[]> plain = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            // The records whose offsets the threads commit.
            plain.send(new ProducerRecord<>(PARTITION.topic(), PARTITION.partition(), null, new byte[] {1})).get();
            plain.send(new ProducerRecord<>(PARTITION.topic(), PARTITION.partition(), null, new byte[] {2})).get();
        }
        // Two services' threads, one group each: "restarted" comes back under its transactional
        // id, "replaced" does not (a thread of another process takes its partition over).
        KafkaProducer<byte[], byte[]> restarted = leaveOpenTransaction(bootstrap, "restarted", transactionTimeout);
        KafkaProducer<byte[], byte[]> replaced = leaveOpenTransaction(bootstrap, "replaced", transactionTimeout);
        assertThat(fetchWaits(bootstrap, "replaced")).as("the open transaction holds the group's offsets before the stop")
                .isTrue();

        ProcessHandle broker = kafka.handle();
        if (stop == Stop.SIGTERM) {
            broker.destroy();
        } else {
            broker.destroyForcibly();
        }
        broker.onExit().get(60, TimeUnit.SECONDS);
        restarted.close(Duration.ZERO);
        replaced.close(Duration.ZERO);

        kafka = StandaloneKafka.start(dir, port, controllerPort, lib, JvmProfile.QUICK_START);
        try {
            long initialising = System.nanoTime();
            try (KafkaProducer<byte[], byte[]> again = transactionalProducer(bootstrap, "restarted", transactionTimeout)) {
                again.initTransactions();
                Fetched fetched = committedOffset(bootstrap, "restarted");
                assertThat(fetched.offset()).as("the offset committed before; the open transaction's was aborted")
                        .isEqualTo(COMMITTED);
                Duration took = since(initialising);
                LOG.info("{}: same transactional id initialised and offsets fetched in {} ms", stop, took.toMillis());
                assertThat(took).as("initialising the same transactional id and the fetch").isLessThan(SLACK);
            }
            Fetched fetched = committedOffset(bootstrap, "replaced");
            LOG.info("{}: offsets of the replaced thread's group fetched in {} ms", stop, fetched.took().toMillis());
            assertThat(fetched.offset()).as("the offset committed before; the open transaction's was aborted")
                    .isEqualTo(COMMITTED);
            assertThat(fetched.took()).as("waiting for the broker to abort the timed-out transaction")
                    .isLessThan(transactionTimeout.plus(ABORT_SCAN).plus(SLACK));
        } finally {
            kafka.close();
        }
    }

    /** A thread's life in short: one committed transaction of offsets, then one left open. */
    private static KafkaProducer<byte[], byte[]> leaveOpenTransaction(String bootstrap, String name, Duration timeout)
            throws Exception {
        KafkaProducer<byte[], byte[]> producer = transactionalProducer(bootstrap, name, timeout);
        ConsumerGroupMetadata group = new ConsumerGroupMetadata(name, -1, "", Optional.empty());
        producer.initTransactions();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>("out", new byte[] {1}));
        producer.sendOffsetsToTransaction(Map.of(PARTITION, new OffsetAndMetadata(COMMITTED)), group);
        producer.commitTransaction();
        // As Kafka Streams' commit at close: offsets only; sendOffsetsToTransaction returns once
        // the group coordinator has written them, and the commit never comes.
        producer.beginTransaction();
        producer.sendOffsetsToTransaction(Map.of(PARTITION, new OffsetAndMetadata(LEFT_OPEN)), group);
        return producer;
    }

    private static KafkaProducer<byte[], byte[]> transactionalProducer(String bootstrap, String name, Duration timeout) {
        return new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, ProducerConfig.TRANSACTIONAL_ID_CONFIG, name,
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) timeout.toMillis(), ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    private record Fetched(long offset, Duration took) {
    }

    /** Whether the group's stable committed offset cannot be had now (2 s). */
    private static boolean fetchWaits(String bootstrap, String group) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap, group)) {
            consumer.committed(Set.of(PARTITION), Duration.ofSeconds(2));
            return false;
        } catch (TimeoutException e) {
            return true;
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String group) {
        return new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap, ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The group's committed offset as a restarted stream task asks for it: read_committed, so stable only. */
    private static Fetched committedOffset(String bootstrap, String group) {
        long start = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap, group)) {
            OffsetAndMetadata committed = consumer.committed(Set.of(PARTITION), Duration.ofSeconds(90)).get(PARTITION);
            assertThat(committed).as("a committed offset of %s", group).isNotNull();
            return new Fetched(committed.offset(), since(start));
        }
    }

    /** The transaction timeout of Kafka Streams' exactly-once producers (the enricher and the store set none). */
    private static Duration streamsTransactionTimeout() {
        StreamsConfig config = new StreamsConfig(Map.of(StreamsConfig.APPLICATION_ID_CONFIG, "any",
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1",
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2));
        Object millis = config.getProducerConfigs("any").get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);
        return Duration.ofMillis(Long.parseLong(String.valueOf(millis)));
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}
