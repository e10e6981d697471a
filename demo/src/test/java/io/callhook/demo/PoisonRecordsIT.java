package io.callhook.demo;

import static io.callhook.demo.PipelineTestSupport.Sub;
import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.demo.PipelineServices.Service;
import io.callhook.demo.PipelineTestSupport.Receiver;
import io.callhook.demo.inspector.WebhookInspector;
import io.callhook.launch.ChildProcess;
import io.callhook.model.DeadLetter;
import io.callhook.model.SourceCoordinates;
import io.callhook.serde.AvroSerdes;
import io.callhook.serde.RegistryConfig;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import io.callhook.testkit.ScratchDirs;
import io.callhook.testkit.TopicTail;
import io.callhook.topic.TopicNames;
import io.callhook.topic.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A garbage record on every topic a Callhook service reads (calls, visits, subscriptions,
 * outbound, each retry tier, attempts) is dead-lettered with its coordinates, and the services,
 * as the processes of production, keep running and delivering.
 */
@RealInfra
class PoisonRecordsIT {

    private static final Logger LOG = LoggerFactory.getLogger(PoisonRecordsIT.class);

    /** One record's place: what a dead letter's {@code source} must name. */
    private record Place(String topic, int partition, long offset) implements Comparable<Place> {
        static Place of(SourceCoordinates source) {
            return new Place(source.getTopic(), source.getPartition(), source.getOffset());
        }

        @Override
        public int compareTo(Place other) {
            return toString().compareTo(other.toString());
        }
    }

    @Test
    void garbageOnEveryInputTopicIsDeadLetteredWithItsCoordinatesAndDeliveryGoesOn(Infra infra) throws Exception {
        Path root = PipelineTestSupport.projectRoot();
        Path work = ScratchDirs.create("poison-it");
        TopicNames names = TopicNames.DEFAULTS.withPrefix("poison.");
        int storePort = ChildProcess.freePort();
        Map<Service, Integer> opsPorts = PipelineTestSupport.freeOpsPorts();
        Topics topics = new Topics(names, new AvroSerdes(new RegistryConfig(infra.registryBaseUrl(), true)));
        try (Receiver rx = Receiver.start(10_000);
             PipelineServices services = new PipelineServices(root, root.resolve("demo/target/it-logs"),
                PipelineTestSupport.commonEnv(infra, names), PipelineTestSupport.serviceEnv(work, storePort, "poison-"),
                opsPorts);
             KafkaProducer<String, byte[]> producer = PipelineTestSupport.producer(infra);
             TopicTail<String, DeadLetter> deadLetters = new TopicTail<>(infra.bootstrapServers(), names.deadLetters(),
                     new StringDeserializer(), topics.deadLetters().valueSerde().deserializer())) {
            WebhookInspector receiver = rx.inspector();
            services.startAll();
            DemoStoreClient store = new DemoStoreClient("http://127.0.0.1:" + storePort, PipelineTestSupport.ADMIN);
            Sub sub = PipelineTestSupport.subscribe(store, receiver, 3001, "/hooks/poison",
                    "{\"accountId\":3001,\"product\":\"CALLKEEPER\",\"url\":\"%s\"}");
            PipelineTestSupport.testWebhook(storePort, sub.id());
            Awaitility.await().atMost(Duration.ofSeconds(90))
                    .until(() -> receiver.webhooks(100, sub.path()).size() >= PipelineTestSupport.testWebhooksOf(sub));

            List<String> inputs = new ArrayList<>(List.of(names.callEvents(), names.visits(), names.subscriptions(),
                    names.outbound(), names.attempts()));
            List<String> tiers = retryTiers(infra, names);
            assertThat(tiers).as("the dispatcher's retry tier topics").isNotEmpty();
            inputs.addAll(tiers);
            Set<Place> poisoned = new TreeSet<>();
            for (String topic : inputs) {
                byte[] garbage = ("\0\0\0\0\7 not a record of " + topic).getBytes(StandardCharsets.UTF_8);
                RecordMetadata written = producer.send(new ProducerRecord<>(topic, "poison-key", garbage)).get(10, TimeUnit.SECONDS);
                poisoned.add(new Place(topic, written.partition(), written.offset()));
            }
            LOG.info("Garbage written at {}", poisoned);

            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(deadLetteredPlaces(deadLetters)).as("dead letters' sources").containsAll(poisoned));
            for (DeadLetter letter : deadLetters.values()) {
                if (poisoned.contains(Place.of(letter.getSource()))) {
                    assertThat(letter.getReasonCode()).as("reason of " + letter.getSource()).isNotBlank();
                    // A subscription record may hold signing secrets: its bytes stay in the
                    // subscriptions topic (the coordinates find them), never copied elsewhere.
                    if (!letter.getSource().getTopic().equals(names.subscriptions())) {
                        assertThat(letter.getRawValue()).as("the record's bytes kept, for " + letter.getSource()).isNotNull();
                    }
                }
            }

            for (Service service : Service.values()) {
                assertThat(services.isRunning(service)).as(service + " still running").isTrue();
                assertThat(ready(services.readyUrl(service))).as(service + " ready").isEqualTo(200);
            }
            int before = receiver.webhooks(100, sub.path()).size();
            PipelineTestSupport.testWebhook(storePort, sub.id());
            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> receiver.webhooks(100, sub.path()).size() >= before + PipelineTestSupport.testWebhooksOf(sub));
        }
    }

    private static Set<Place> deadLetteredPlaces(TopicTail<String, DeadLetter> deadLetters) {
        Set<Place> places = new TreeSet<>();
        for (DeadLetter letter : deadLetters.values()) {
            if (letter.getSource() != null) {
                places.add(Place.of(letter.getSource()));
            }
        }
        return places;
    }

    /** The retry tier topics the dispatcher provisioned (its default schedule's). */
    private static List<String> retryTiers(Infra infra, TopicNames names) throws Exception {
        String prefix = names.retryTier("");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()))) {
            return admin.listTopics().names().get(10, TimeUnit.SECONDS).stream()
                    .filter(name -> name.startsWith(prefix)).sorted().toList();
        }
    }

    private static int ready(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
