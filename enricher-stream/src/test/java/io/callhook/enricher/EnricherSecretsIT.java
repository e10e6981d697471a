package io.callhook.enricher;

import static io.callhook.enricher.Fixtures.call;
import static io.callhook.enricher.Fixtures.callKeeper;
import static io.callhook.enricher.Fixtures.callTracking;
import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.deadletter.DeadLetterReason;
import io.callhook.enricher.app.EnricherApp;
import io.callhook.enricher.app.EnricherConfig;
import io.callhook.enricher.geo.GeoLookups;
import io.callhook.model.AccountSubscription;
import io.callhook.model.CallEvent;
import io.callhook.model.CallPhase;
import io.callhook.model.DeadLetter;
import io.callhook.model.Product;
import io.callhook.model.SigningSecret;
import io.callhook.model.Subscription;
import io.callhook.model.WebhookRequest;
import io.callhook.serde.AvroSerdes;
import io.callhook.serde.RegistryConfig;
import io.callhook.service.kafka.KafkaSettings;
import io.callhook.service.kafka.TopicLayout;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import io.callhook.testkit.ScratchDirs;
import io.callhook.testkit.TopicTail;
import io.callhook.topic.TopicNames;
import io.callhook.topic.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Signing secrets stay where they are used (issue 9, item 9): after traffic through subscriptions
 * that carry secrets (added, rotated, moved between accounts, deleted, disabled and tested, one
 * written as garbage), no {@code whsec_} string is in any topic the enricher writes or creates
 * (its own, Kafka Streams' changelogs and repartition topics, the outbound and dead-letter topics,
 * aborted transactions included) nor in any file of its state directory. The subscriptions topic
 * itself, the store's, is where the secrets belong and is left out.
 */
@RealInfra
class EnricherSecretsIT {

    private static final String APP_ID = "enricher-secrets-it";
    private static final String PREFIX = "secrets.";
    private static final byte[] NEEDLE = "whsec_".getBytes(StandardCharsets.US_ASCII);

    @Test
    void noSigningSecretInAnyTopicOrStateFileOfTheEnricher(Infra infra) throws Exception {
        TopicNames names = TopicNames.DEFAULTS.withPrefix(PREFIX);
        Path stateDir = ScratchDirs.create("enricher-secrets");
        EnricherConfig config = new EnricherConfig(new KafkaSettings(infra.bootstrapServers(),
                new RegistryConfig(infra.registryBaseUrl(), true), names, new TopicLayout(true, 2, (short) -1), Map.of()),
                APP_ID, 2, Optional.of(stateDir), Duration.ofMillis(100), Optional.empty(), "127.0.0.1", 0);
        AvroSerdes serdes = new AvroSerdes(config.registry());
        Topics topics = new Topics(names, serdes);
        Instant now = Fixtures.CALL_TIME;
        List<SigningSecret> rotated = List.of(new SigningSecret("whsec_" + "Q".repeat(40), now, null),
                new SigningSecret(Fixtures.SECRET, now.minusSeconds(3600), now.plusSeconds(3600)));

        EnricherApp app = EnricherApp.start(config, GeoLookups.open(Optional.empty()), url -> Optional.empty(),
                new SimpleMeterRegistry());
        try (TopicTail<String, WebhookRequest> outbound = new TopicTail<>(infra.bootstrapServers(), names.outbound(),
                     new StringDeserializer(), topics.outbound().valueSerde().deserializer());
             TopicTail<String, DeadLetter> deadLetters = new TopicTail<>(infra.bootstrapServers(), names.deadLetters(),
                     new StringDeserializer(), topics.deadLetters().valueSerde().deserializer());
             TopicTail<String, AccountSubscription> held = new TopicTail<>(infra.bootstrapServers(),
                     APP_ID + ".account-subscriptions", new StringDeserializer(),
                     serdes.forValue(AccountSubscription.class).deserializer());
             KafkaProducer<String, Subscription> subscriptions = producer(infra, topics.subscriptions().valueSerde().serializer());
             KafkaProducer<String, CallEvent> calls = producer(infra, topics.callEvents().valueSerde().serializer());
             KafkaProducer<String, byte[]> raw = producer(infra, new ByteArraySerializer())) {
            List<Subscription> written = List.of(
                    callKeeper("sec-a", 1).build(),
                    callTracking("sec-b", 1, CallPhase.ENDED).setParams(Map.of("token", "t-1")).build(),
                    callKeeper("sec-off", 1).setEnabled(false).setDisabledReason("410 Gone").build(),
                    callKeeper("sec-c", 2).build(),
                    callKeeper("sec-c", 2).setSecrets(rotated).build(),
                    callKeeper("sec-moving", 1).build(),
                    callKeeper("sec-moving", 2).setSecrets(rotated).build(),
                    callKeeper("sec-gone", 2).build());
            for (Subscription subscription : written) {
                subscriptions.send(new ProducerRecord<>(names.subscriptions(), subscription.getId(), subscription));
            }
            subscriptions.send(new ProducerRecord<>(names.subscriptions(), "sec-gone", null));
            raw.send(new ProducerRecord<>(names.subscriptions(), "sec-garbage",
                    ("not avro, but a secret: " + Fixtures.SECRET).getBytes(StandardCharsets.UTF_8)));
            subscriptions.flush();
            raw.flush();
            held.awaitUntil(read -> keys(read).containsAll(Set.of("1|sec-a", "1|sec-off", "2|sec-c", "2|sec-moving")),
                    Duration.ofSeconds(60));

            // A test call for a subscription not written yet is held in the pending store first.
            publish(calls, names, testCall(900, 1, "sec-late", CallPhase.STARTED));
            publish(calls, names, testCall(900, 1, "sec-late", CallPhase.ENDED));
            publish(calls, names, testCall(901, 1, "sec-off", CallPhase.STARTED));
            for (long id = 1; id <= 5; id++) {
                for (CallPhase phase : List.of(CallPhase.STARTED, CallPhase.ENDED)) {
                    publish(calls, names, call(id, 1, Product.CALLKEEPER, phase));
                    publish(calls, names, call(100 + id, 2, Product.CALLKEEPER, phase));
                }
            }
            // sec-a: 10, sec-c and sec-moving: 10 each; then sec-late, so that only its test call's 2
            // go to it (written earlier, it could meet some of account 1's calls on their way).
            outbound.awaitCount(30, Duration.ofSeconds(90));
            Subscription late = callKeeper("sec-late", 1).build();
            subscriptions.send(new ProducerRecord<>(names.subscriptions(), late.getId(), late));
            subscriptions.flush();

            // Awaited by the test call, not by a count: a call read before the calls half applied a move or
            // a delete still goes to the subscription as it was (seen once in CI: 32 webhooks, none of them
            // the test call's), and so may one of account 1's calls to sec-late.
            List<ConsumerRecord<String, WebhookRequest>> sent = outbound.awaitUntil(read -> read.stream()
                    .filter(r -> isLateTestCall(r.value())).count() >= 2, Duration.ofSeconds(90));
            // Issue 9, item 12: the held test call is released in phase order, STARTED before ENDED.
            assertThat(sent).extracting(ConsumerRecord::value).filteredOn(EnricherSecretsIT::isLateTestCall)
                    .extracting(WebhookRequest::getPhase).containsExactly(CallPhase.STARTED, CallPhase.ENDED);
            List<ConsumerRecord<String, DeadLetter>> letters = deadLetters.awaitCount(2, Duration.ofSeconds(30));
            assertThat(letters).extracting(r -> r.value().getReasonCode())
                    .contains(DeadLetterReason.UNDECODABLE.code(), DeadLetterReason.SUBSCRIPTION_DISABLED.code());
        } finally {
            // Closing flushes the stores to their files.
            app.close();
        }

        List<String> enricherTopics = enricherTopics(infra, names);
        assertThat(enricherTopics).as("the enricher's topics, internal ones included").contains(
                names.outbound(), names.deadLetters(), APP_ID + ".account-subscriptions", APP_ID + ".visits-valid",
                APP_ID + "-pending-test-calls-changelog");
        assertThat(enricherTopics.stream().filter(topic -> topic.endsWith("-changelog") || topic.endsWith("-repartition")))
                .as("Kafka Streams' internal topics").hasSizeGreaterThanOrEqualTo(3);
        int scanned = 0;
        for (String topic : enricherTopics) {
            scanned += assertNoSecretIn(infra, topic);
        }
        assertThat(scanned).as("records scanned").isGreaterThan(40);

        List<Path> files;
        try (Stream<Path> walk = Files.walk(stateDir)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        boolean storesOnDisk = false;
        for (Path file : files) {
            byte[] content = Files.readAllBytes(file);
            assertThat(indexOf(content, NEEDLE)).as("whsec_ in the state file " + stateDir.relativize(file)).isEqualTo(-1);
            storesOnDisk |= indexOf(content, "crm.example.com/hooks/sec-a".getBytes(StandardCharsets.US_ASCII)) >= 0;
        }
        assertThat(storesOnDisk).as("the subscriptions' URLs are in the stores' files, so the scan reads their contents")
                .isTrue();
    }

    /** Every topic the enricher writes or created: its app id's and the prefix's, except the store's subscriptions topic. */
    private static List<String> enricherTopics(Infra infra, TopicNames names) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()))) {
            return admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get().stream()
                    .filter(topic -> topic.startsWith(APP_ID) || topic.startsWith(PREFIX))
                    .filter(topic -> !topic.equals(names.subscriptions()))
                    .sorted().toList();
        }
    }

    /** Reads the whole topic, aborted records included, and fails on the first secret; returns the records read. */
    private static int assertNoSecretIn(Infra infra, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "scan-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            int read = 0;
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    List<byte[]> parts = new ArrayList<>(List.of(orEmpty(record.key()), orEmpty(record.value())));
                    for (Header header : record.headers()) {
                        parts.add(orEmpty(header.value()));
                    }
                    for (byte[] part : parts) {
                        assertThat(indexOf(part, NEEDLE)).as("whsec_ in " + topic + "-" + record.partition() + " at offset "
                                + record.offset()).isEqualTo(-1);
                    }
                    read++;
                }
            }
            return read;
        }
    }

    private static CallEvent testCall(long callId, long account, String target, CallPhase phase) {
        return CallEvent.newBuilder(call(callId, account, Product.CALLKEEPER, phase))
                .setTest(true).setTargetSubscriptionId(target).setOccurredAt(Instant.now()).build();
    }

    private static boolean isLateTestCall(WebhookRequest request) {
        return request.getSubscriptionId().equals("sec-late") && request.getCallId() == 900 && request.getTest();
    }

    private static Set<String> keys(List<? extends ConsumerRecord<String, ?>> read) {
        return read.stream().map(ConsumerRecord::key).collect(Collectors.toCollection(TreeSet::new));
    }

    private static byte[] orEmpty(byte[] bytes) {
        return bytes == null ? new byte[0] : bytes;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void publish(KafkaProducer<String, CallEvent> calls, TopicNames names, CallEvent event) {
        calls.send(new ProducerRecord<>(names.callEvents(), Long.toString(event.getCallId()), event));
    }

    private static <V> KafkaProducer<String, V> producer(Infra infra, org.apache.kafka.common.serialization.Serializer<V> values) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), values);
    }
}
