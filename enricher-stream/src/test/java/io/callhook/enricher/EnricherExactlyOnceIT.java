package io.callhook.enricher;

import static io.callhook.enricher.Fixtures.call;
import static io.callhook.enricher.Fixtures.callKeeper;
import static io.callhook.enricher.Fixtures.callTracking;
import static io.callhook.enricher.Fixtures.visit;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callhook.enricher.fanout.WebhookIds;
import io.callhook.enricher.geo.GeoDatabaseFile;
import io.callhook.launch.ChildProcess;
import io.callhook.model.AccountSubscription;
import io.callhook.model.BodyFormat;
import io.callhook.model.CallEvent;
import io.callhook.model.CallPhase;
import io.callhook.model.Product;
import io.callhook.model.Subscription;
import io.callhook.model.VisitSnapshot;
import io.callhook.model.WebhookRequest;
import io.callhook.serde.AvroSerdes;
import io.callhook.serde.RegistryConfig;
import io.callhook.service.kafka.KafkaSettings;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import io.callhook.testkit.ScratchDirs;
import io.callhook.testkit.TopicTail;
import io.callhook.topic.TopicNames;
import io.callhook.topic.Topics;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The packaged enricher as a real process on the real broker and registry: bodies come out as
 * expected, and after a SIGKILL mid-stream and a restart every (call event, subscription) pair
 * is in the committed output exactly once.
 */
@RealInfra
class EnricherExactlyOnceIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CALLS = 600;
    private static final String APP_ID = "enricher-eos-it";

    @Test
    void enrichesAndKeepsExactlyOnceAcrossAHardStop(Infra infra) throws Exception {
        TopicNames names = TopicNames.DEFAULTS.withPrefix("eos.");
        AvroSerdes serdes = new AvroSerdes(new RegistryConfig(infra.registryBaseUrl(), true));
        Topics topics = new Topics(names, serdes);
        Path stateDir = ScratchDirs.create("enricher-eos-state");
        int opsPort = ChildProcess.freePort();
        Map<String, String> env = enricherEnv(infra, names, stateDir, opsPort);

        ChildProcess first = startEnricher(env, 1, opsPort);
        try (KafkaProducer<String, Object> producer = producer(infra, serdes);
             TopicTail<String, AccountSubscription> held = new TopicTail<>(infra.bootstrapServers(),
                     APP_ID + ".account-subscriptions", new StringDeserializer(),
                     serdes.forValue(AccountSubscription.class).deserializer());
             TopicTail<String, WebhookRequest> outbound = new TopicTail<>(infra.bootstrapServers(), names.outbound(),
                     new StringDeserializer(), topics.outbound().valueSerde().deserializer())) {

            List<Subscription> subscriptions = List.of(
                    callKeeper("eos-ck-a", 1).build(),
                    callKeeper("eos-ck-b", 1).build(),
                    callTracking("eos-ct", 2, CallPhase.ENDED).setFormat(BodyFormat.FORM)
                            .setRenames(Map.of("visit_info.udata.uag", "user_agent")).build());
            for (Subscription subscription : subscriptions) {
                producer.send(new ProducerRecord<>(names.subscriptions(), subscription.getId(), subscription));
            }
            for (int i = 1; i <= CALLS; i++) {
                VisitSnapshot visit = visit("visitor-" + i, "source-" + i);
                producer.send(new ProducerRecord<>(names.visits(), visit.getVisitorId(), visit));
            }
            producer.flush();
            // Calls are matched against subscriptions once these reached the enricher's global table.
            held.awaitUntil(read -> read.stream().map(ConsumerRecord::key).collect(Collectors.toSet())
                    .containsAll(Set.of("1|eos-ck-a", "1|eos-ck-b", "2|eos-ct")), Duration.ofSeconds(60));
            Thread.sleep(500);

            List<CallEvent> events = new ArrayList<>();
            for (int i = 1; i <= CALLS; i++) {
                events.add(call(i, i % 2 == 0 ? 1 : 2, i % 2 == 0 ? Product.CALLKEEPER : Product.CALLTRACKING, CallPhase.STARTED));
                events.add(call(i, i % 2 == 0 ? 1 : 2, i % 2 == 0 ? Product.CALLKEEPER : Product.CALLTRACKING, CallPhase.ENDED));
            }
            Map<String, String> expected = expectedWebhooks(events, subscriptions);

            Thread publisher = new Thread(() -> publish(producer, names, events), "publisher");
            publisher.start();
            // Kill while events are still flowing in and transactions are open.
            outbound.awaitCount(expected.size() / 4, Duration.ofSeconds(90));
            first.kill();
            int beforeRestart = outbound.records().size();
            ChildProcess second = startEnricher(env, 2, opsPort);
            try {
                publisher.join();
                outbound.readUntil(read -> read.size() >= expected.size(), Duration.ofSeconds(120));
                Thread.sleep(3000); // room for duplicates, if any, to show up
                List<ConsumerRecord<String, WebhookRequest>> all = outbound.records();

                assertThat(beforeRestart).as("the kill came mid-stream").isLessThan(expected.size());
                Map<String, Long> counts = all.stream().collect(Collectors.groupingBy(r -> r.value().getWebhookId(), Collectors.counting()));
                Set<String> missing = new java.util.TreeSet<>(expected.keySet());
                missing.removeAll(counts.keySet());
                assertThat(missing).as("pairs never delivered: " + describe(missing, events, subscriptions)).isEmpty();
                assertThat(counts.keySet()).as("every (event, subscription) pair").isEqualTo(expected.keySet());
                assertThat(counts.values()).as("each exactly once").allMatch(count -> count == 1);
                for (ConsumerRecord<String, WebhookRequest> record : all) {
                    assertThat(record.key()).isEqualTo(expected.get(record.value().getWebhookId()));
                }
                checkBodies(all);
                checkOpsEndpoints(opsPort);
                checkIdleRunsNoTransactions(infra);
            } finally {
                second.close();
            }
        } finally {
            if (first.isAlive()) {
                first.close();
            }
        }
    }

    /**
     * With no input left, the enricher runs no transactions: the transaction log stays as it is.
     * (Its tasks' twice-a-second look at held test calls once made every idle task that had seen a
     * call commit an offsets-only transaction each time, for ever.) Its producers are the only
     * transactional ones on this broker by now.
     */
    private static void checkIdleRunsNoTransactions(Infra infra) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()))) {
            Map<TopicPartition, Long> before = transactionLogEnds(admin);
            Thread.sleep(3000);
            Map<TopicPartition, Long> after = transactionLogEnds(admin);
            assertThat(after).as("end offsets of the transaction log, 3 s apart while the enricher is idle").isEqualTo(before);
        }
    }

    private static Map<TopicPartition, Long> transactionLogEnds(Admin admin) throws Exception {
        String log = Topic.TRANSACTION_STATE_TOPIC_NAME;
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(List.of(log)).allTopicNames().get().get(log).partitions()
                .forEach(partition -> latest.put(new TopicPartition(log, partition.partition()), OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new java.util.TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
        admin.listOffsets(latest).all().get().forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }

    private static void checkBodies(List<ConsumerRecord<String, WebhookRequest>> all) throws Exception {
        Map<String, WebhookRequest> byKey = new HashMap<>();
        for (ConsumerRecord<String, WebhookRequest> record : all) {
            byKey.put(record.key() + "/" + record.value().getCallId() + "/" + record.value().getPhase(), record.value());
        }
        WebhookRequest callKeeperEnd = byKey.get("eos-ck-a/42/ENDED");
        JsonNode body = JSON.readTree(callKeeperEnd.getBody().array());
        assertThat(body.get("id").asLong()).isEqualTo(42);
        assertThat(body.get("hook_event").asText()).isEqualTo("Call is over");
        assertThat(body.at("/visit_info/current/utm_source").asText()).isEqualTo("source-42");
        assertThat(body.get("city").asText()).isEqualTo("Москва");
        assertThat(body.get("district").asText()).isEqualTo("Центральный федеральный округ");
        assertThat(body.get("duration_min").asText()).isEqualTo("2");

        WebhookRequest callTrackingEnd = byKey.get("eos-ct/43/ENDED");
        assertThat(callTrackingEnd.getContentType()).isEqualTo("application/x-www-form-urlencoded");
        String form = URLDecoder.decode(StandardCharsets.UTF_8.decode(callTrackingEnd.getBody()).toString(), StandardCharsets.UTF_8);
        assertThat(form).startsWith("id=43&").contains("visit_info[udata][user_agent]=Mozilla")
                .contains("visit_info[current][utm_source]=source-43").contains("hook_event=Call is over");
        assertThat(byKey).doesNotContainKey("eos-ct/43/STARTED");
    }

    private static List<String> describe(Set<String> webhookIds, List<CallEvent> events, List<Subscription> subscriptions) {
        List<String> described = new ArrayList<>();
        for (CallEvent event : events) {
            for (Subscription subscription : subscriptions) {
                if (webhookIds.contains(WebhookIds.of(event, subscription.getId()))) {
                    described.add(subscription.getId() + "/" + event.getCallId() + "/" + event.getPhase());
                }
            }
        }
        return described;
    }

    private static void checkOpsEndpoints(int opsPort) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String metrics = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://127.0.0.1:" + opsPort + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("callhook_enricher_webhooks_total{product=\"CALLKEEPER\",service=\"enricher\"}")
                .contains("callhook_enricher_calls_total{outcome=\"matched\"")
                .contains("kafka_stream_thread_process_total")
                .contains("kafka_consumer_fetch_manager_records_consumed_total");
        assertThat(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + opsPort
                + "/health/live")).build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
    }

    /** Webhook id to subscription id, for every pair the enricher must produce. */
    private static Map<String, String> expectedWebhooks(List<CallEvent> events, List<Subscription> subscriptions) {
        Map<String, String> expected = new HashMap<>();
        for (CallEvent event : events) {
            for (Subscription subscription : subscriptions) {
                boolean matches = subscription.getAccountId() == event.getAccountId()
                        && subscription.getProduct() == event.getProduct()
                        && subscription.getEvents().contains(event.getPhase());
                if (matches) {
                    expected.put(WebhookIds.of(event, subscription.getId()), subscription.getId());
                }
            }
        }
        return expected;
    }

    private static void publish(KafkaProducer<String, Object> producer, TopicNames names, List<CallEvent> events) {
        for (int i = 0; i < events.size(); i++) {
            CallEvent event = events.get(i);
            producer.send(new ProducerRecord<>(names.callEvents(), Long.toString(event.getCallId()), event));
            if (i % 100 == 99) {
                producer.flush();
                sleep(150);
            }
        }
        producer.flush();
    }

    private static ChildProcess startEnricher(Map<String, String> env, int run, int opsPort) throws Exception {
        ChildProcess process = ChildProcess.startJar("enricher-" + run, Path.of("target", "enricher-stream.jar"),
                List.of("-Xmx256m"), List.of(), env, Path.of("target", "it-logs", "enricher-eos-" + run + ".log"));
        process.awaitHttpOk("http://127.0.0.1:" + opsPort + "/health/ready", Duration.ofSeconds(90));
        return process;
    }

    private static Map<String, String> enricherEnv(Infra infra, TopicNames names, Path stateDir, int opsPort) {
        Map<String, String> env = new HashMap<>();
        env.put("CALLHOOK_KAFKA_BOOTSTRAP_SERVERS", infra.bootstrapServers());
        env.put("CALLHOOK_REGISTRY_URL", infra.registryBaseUrl());
        env.put("CALLHOOK_ENRICHER_APPLICATION_ID", APP_ID);
        env.put("CALLHOOK_ENRICHER_STATE_DIR", stateDir.toString());
        env.put("CALLHOOK_OPS_PORT", Integer.toString(opsPort));
        env.put("CALLHOOK_GEOIP_DB", GeoDatabaseFile.require().toString());
        env.put("CALLHOOK_TOPICS_PARTITIONS", "3");
        env.putAll(KafkaSettings.topicEnvironment(names));
        // The killed instance's partitions move to the new one after its session times out.
        env.put("CALLHOOK_KAFKA__SESSION_TIMEOUT_MS", "6000");
        env.put("CALLHOOK_KAFKA__HEARTBEAT_INTERVAL_MS", "1000");
        return env;
    }

    /** A producer of any of our records using Apicurio's own serializer, as another team's backend would. */
    private static KafkaProducer<String, Object> producer(Infra infra, AvroSerdes serdes) {
        Map<String, Object> config = new HashMap<>(serdes.apicurioSerdeConfig());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, io.apicurio.registry.serde.avro.AvroKafkaSerializer.class);
        return new KafkaProducer<>(config);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
