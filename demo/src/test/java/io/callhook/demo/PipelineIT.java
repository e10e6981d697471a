package io.callhook.demo;

import static io.callhook.demo.PipelineTestSupport.Sub;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callhook.demo.PipelineServices.Service;
import io.callhook.demo.PipelineTestSupport.Receiver;
import io.callhook.demo.inspector.ReceivedWebhook;
import io.callhook.demo.inspector.SignatureCheck;
import io.callhook.demo.inspector.WebhookInspector;
import io.callhook.enricher.fanout.WebhookIds;
import io.callhook.launch.ChildProcess;
import io.callhook.model.CallEvent;
import io.callhook.model.VisitSnapshot;
import io.callhook.serde.AvroSerdes;
import io.callhook.serde.RegistryConfig;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import io.callhook.testkit.ScratchDirs;
import io.callhook.topic.TopicNames;
import io.callhook.topic.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline as in production: the three services' packaged jars as processes on the
 * real broker and registry, subscriptions made through the store's API, calls and visits as
 * the telephony backend and the tracker send them, webhooks to a local receiver. Checks the
 * documented bodies of both products (enriched visit and geo, renamed keys, form bodies), the
 * signatures and the Sent counters; and, while calls flow, SIGKILLs and restarts each service
 * in turn: every (call event, subscription) pair still arrives.
 */
@RealInfra
class PipelineIT {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CALLS = 150;
    private static final List<String> DOCUMENTED_KEYS = List.of("id", "visit_info", "status_code", "status_reason",
            "status2_code", "status2_reason", "ip", "uip", "country", "city", "region", "district", "site", "ga_clientid",
            "ga_clid", "ya_clientid", "roistat_visit", "phone1", "phone2", "widget_hash", "widget_name", "date",
            "date_timestamp", "order_date", "duration_sec", "duration_min", "a_type", "asr_attempts", "attempt",
            "event_source", "hook_event", "playback_tick", "record_url", "tags");

    @Test
    void everyWebhookArrivesSignedAndWholeWhileEachServiceIsKilledAndRestarted(Infra infra) throws Exception {
        Path root = PipelineTestSupport.projectRoot();
        Path work = ScratchDirs.create("pipeline-it");
        TopicNames names = TopicNames.DEFAULTS.withPrefix("e2e.");
        int storePort = ChildProcess.freePort();
        Map<Service, Integer> opsPorts = PipelineTestSupport.freeOpsPorts();
        try (Receiver rx = Receiver.start(10_000);
             PipelineServices services = new PipelineServices(root, root.resolve("demo/target/it-logs"),
                PipelineTestSupport.commonEnvWithShortSessions(infra, names), PipelineTestSupport.serviceEnv(work, storePort, "e2e-"),
                opsPorts);
             KafkaProducer<String, byte[]> producer = PipelineTestSupport.producer(infra)) {
            WebhookInspector receiver = rx.inspector();
            services.startAll();
            DemoStoreClient store = new DemoStoreClient("http://127.0.0.1:" + storePort, PipelineTestSupport.ADMIN);
            List<Sub> subs = List.of(
                    PipelineTestSupport.subscribe(store, receiver, 1001, "/hooks/ck-a", "{\"accountId\":1001,\"product\":\"CALLKEEPER\",\"url\":\"%s\"}"),
                    PipelineTestSupport.subscribe(store, receiver, 1001, "/hooks/ck-b", "{\"accountId\":1001,\"product\":\"CALLKEEPER\",\"url\":\"%s\"}"),
                    PipelineTestSupport.subscribe(store, receiver, 1002, "/hooks/ct", "{\"accountId\":1002,\"product\":\"CALLTRACKING\",\"url\":\"%s\","
                            + "\"events\":[\"ENDED\"],\"contentType\":\"application/x-www-form-urlencoded\","
                            + "\"renames\":{\"visit_info.udata.uag\":\"user_agent\",\"phone2\":\"client_phone\"},"
                            + "\"params\":{\"crm_key\":\"k-42\"}}"));
            // The pipeline is ready for calls once a test webhook of every subscription came through.
            for (Sub sub : subs) {
                store.get(sub.id());
                PipelineTestSupport.testWebhook(storePort, sub.id());
            }
            Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> subs.stream().allMatch(
                    sub -> receiver.webhooks(10_000, sub.path()).size() >= PipelineTestSupport.testWebhooksOf(sub)));
            receiver.clear();

            Topics topics = new Topics(names, new AvroSerdes(new RegistryConfig(infra.registryBaseUrl(), true)));
            Traffic traffic = new Traffic(5, Instant.now());
            Map<String, String> expected = new HashMap<>();
            Map<Long, VisitSnapshot> visits = new HashMap<>();
            List<CallEvent> events = new ArrayList<>();
            long firstCall = 1_000_000;
            for (long call = firstCall; call < firstCall + CALLS; call++) {
                long account = call % 2 == 0 ? 1001 : 1002;
                VisitSnapshot visit = traffic.visit("visitor-" + call);
                visits.put(call, visit);
                for (boolean ended : new boolean[] {false, true}) {
                    CallEvent event = CallEvent.newBuilder(traffic.call(call, account, ended)).setOccurredAt(Instant.now()).build();
                    events.add(event);
                    for (Sub sub : subs) {
                        if (sub.account() == account && (account == 1001 || ended)) {
                            expected.put(WebhookIds.of(event, sub.id()), sub.path());
                        }
                    }
                }
            }
            Thread publisher = new Thread(() -> publish(producer, topics, visits, events), "publisher");
            publisher.start();
            for (Service service : Service.values()) {
                Thread.sleep(4000);
                LOG.info("Killing {} mid-traffic", service);
                services.kill(service);
                services.start(service);
            }
            publisher.join();

            Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> PipelineTestSupport.received(receiver).keySet().containsAll(expected.keySet()));
            Thread.sleep(2000);
            Map<String, List<ReceivedWebhook>> byId = PipelineTestSupport.received(receiver);
            LOG.info("{} webhooks expected, {} distinct received, {} requests in all", expected.size(), byId.size(),
                    byId.values().stream().mapToInt(List::size).sum());

            assertThat(byId.keySet()).as("nothing but the expected webhooks").isEqualTo(expected.keySet());
            for (Map.Entry<String, List<ReceivedWebhook>> webhook : byId.entrySet()) {
                for (ReceivedWebhook copy : webhook.getValue()) {
                    assertThat(copy.path()).isEqualTo(expected.get(webhook.getKey()));
                    assertThat(copy.signature().status()).as(copy.signature().reason()).isEqualTo(SignatureCheck.Status.VALID);
                    assertThat(copy.body()).as("every copy of a webhook is the same webhook").isEqualTo(webhook.getValue().get(0).body());
                }
            }
            checkCallKeeperBody(byId, expected, visits);
            checkCalltrackingBody(byId, expected, visits);
            checkSentCounters(store, subs, byId, expected);
        }
    }

    private static void checkCallKeeperBody(Map<String, List<ReceivedWebhook>> byId, Map<String, String> expected,
                                            Map<Long, VisitSnapshot> visits) throws Exception {
        int checked = 0;
        for (Map.Entry<String, String> entry : expected.entrySet()) {
            if (!entry.getValue().equals("/hooks/ck-a")) {
                continue;
            }
            ReceivedWebhook webhook = byId.get(entry.getKey()).get(0);
            JsonNode body = JSON.readTree(webhook.body());
            Set<String> keys = new HashSet<>();
            body.fieldNames().forEachRemaining(keys::add);
            assertThat(keys).containsExactlyInAnyOrderElementsOf(DOCUMENTED_KEYS);
            VisitSnapshot visit = visits.get(body.get("id").asLong());
            assertThat(body.at("/visit_info/current/utm_source").asText()).isEqualTo(visit.getCurrent().getUtmSource());
            assertThat(body.at("/visit_info/session/pgs").asInt()).isEqualTo(visit.getPagesViewed());
            assertThat(body.at("/visit_info/udata/uag").asText()).isEqualTo(visit.getUserAgent());
            assertThat(body.get("hook_event").asText()).isIn("Call is processing", "Call is over");
            if (body.get("ip").asText().equals("77.50.1.1")) {
                assertThat(body.get("city").asText()).isEqualTo("Москва");
                assertThat(body.get("district").asText()).isEqualTo("Центральный федеральный округ");
                checked++;
            }
        }
        assertThat(checked).as("webhooks of Moscow callers checked for geo").isPositive();
    }

    private static void checkCalltrackingBody(Map<String, List<ReceivedWebhook>> byId, Map<String, String> expected,
                                              Map<Long, VisitSnapshot> visits) {
        for (Map.Entry<String, String> entry : expected.entrySet()) {
            if (!entry.getValue().equals("/hooks/ct")) {
                continue;
            }
            ReceivedWebhook webhook = byId.get(entry.getKey()).get(0);
            assertThat(webhook.contentType()).startsWith("application/x-www-form-urlencoded");
            Map<String, String> form = webhook.form().stream().collect(Collectors.toMap(ReceivedWebhook.Pair::name,
                    ReceivedWebhook.Pair::value, (a, b) -> a));
            VisitSnapshot visit = visits.get(Long.parseLong(form.get("id")));
            assertThat(form).containsEntry("hook_event", "Call is over").containsEntry("crm_key", "k-42")
                    .containsKey("client_phone").doesNotContainKey("phone2")
                    .containsEntry("visit_info[udata][user_agent]", visit.getUserAgent())
                    .doesNotContainKey("visit_info[udata][uag]")
                    .containsEntry("visit_info[current][utm_source]", visit.getCurrent().getUtmSource());
        }
    }

    private static void checkSentCounters(DemoStoreClient store, List<Sub> subs, Map<String, List<ReceivedWebhook>> byId,
                                          Map<String, String> expected) {
        for (Sub sub : subs) {
            long delivered = expected.entrySet().stream().filter(e -> e.getValue().equals(sub.path())).count();
            // Each webhook counts once, however many copies a crash made (same attempt id), plus the warm-up test.
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(
                    () -> store.get(sub.id()).path("counters").path("sent").asLong(), sent -> sent == delivered + PipelineTestSupport.testWebhooksOf(sub));
        }
    }

    /** Visits first, then each call's start and end, spread over about 30 seconds. */
    private static void publish(KafkaProducer<String, byte[]> producer, Topics topics, Map<Long, VisitSnapshot> visits,
                                List<CallEvent> events) {
        try {
            for (VisitSnapshot visit : visits.values()) {
                producer.send(new ProducerRecord<>(topics.visits().name(), visit.getVisitorId(),
                        topics.visits().valueSerde().serializer().serialize(topics.visits().name(), visit)));
            }
            producer.flush();
            Thread.sleep(1500);
            for (int i = 0; i < events.size(); i++) {
                CallEvent event = events.get(i);
                producer.send(new ProducerRecord<>(topics.callEvents().name(), Long.toString(event.getCallId()),
                        topics.callEvents().valueSerde().serializer().serialize(topics.callEvents().name(), event)));
                if (i % 10 == 9) {
                    producer.flush();
                    Thread.sleep(1000);
                }
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
