package io.callhook.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callhook.dispatcher.app.DispatcherApp;
import io.callhook.enricher.app.EnricherApp;
import io.callhook.model.BodyFormat;
import io.callhook.model.CallEvent;
import io.callhook.model.CallPhase;
import io.callhook.model.Product;
import io.callhook.model.Subscription;
import io.callhook.serde.AvroSerdes;
import io.callhook.serde.RegistryConfig;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import io.callhook.topic.TopicNames;
import io.callhook.topic.Topics;
import io.vertx.core.Vertx;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The producer guide's JavaScript example, run with Node exactly as the guide's command blocks
 * say, against the real broker and registry, with the enricher and the dispatcher running and
 * two subscriptions of one account (CallKeeper JSON; Calltracking form with renamed keys) that
 * a topic producer wrote, pointing at a receiver of this test. Every call event it publishes
 * arrives as a signed webhook enriched with its visit; then the guide's attempts reader, a
 * kafkajs consumer without compression plugins, reads the delivery attempts.
 */
@RealInfra
class NodeProducerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long ACCOUNT = 4242;
    private static final Pattern PUBLISHED_CALL = Pattern.compile("published call (\\d+) (CALLKEEPER|CALLTRACKING) (STARTED|ENDED) ");
    private static final Pattern PUBLISHED_VISIT = Pattern.compile("published visit (\\S+) ");

    @Test
    void theGuidesNodeExampleRunsUnchangedAndItsCallsArriveEnrichedAndSigned(Infra infra) throws Exception {
        TopicNames names = TopicNames.DEFAULTS.withPrefix("node.");
        Map<String, String> env = InProcessServices.environment(infra.bootstrapServers(), infra.registryBaseUrl(), names);
        Topics topics = new Topics(names, new AvroSerdes(new RegistryConfig(infra.registryBaseUrl(), true)));
        String guide = Repo.read("docs/producers.md");
        Vertx vertx = Vertx.vertx();
        try (CapturingReceiver receiver = new CapturingReceiver();
             EnricherApp enricher = InProcessServices.enricher(env, "node-enricher");
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            DispatcherApp dispatcher = InProcessServices.dispatcher(env, "node-dispatcher", vertx);
            try {
                String ckSecret = Webhooks.newSecret();
                String ctSecret = Webhooks.newSecret();
                List<Subscription> subscriptions = List.of(
                        Webhooks.subscription("node-ck", ACCOUNT, Product.CALLKEEPER, receiver.url("/ck"), ckSecret).build(),
                        Webhooks.subscription("node-ct", ACCOUNT, Product.CALLTRACKING, receiver.url("/ct"), ctSecret)
                                .setFormat(BodyFormat.FORM)
                                .setRenames(Map.of("visit_info.udata.uag", "user_agent", "phone2", "client_phone")).build());
                for (Subscription subscription : subscriptions) {
                    send(producer, names.subscriptions(), subscription.getId(),
                            topics.subscriptions().valueSerde().serializer().serialize(names.subscriptions(), subscription));
                }
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> enricher.state() == KafkaStreams.State.RUNNING);
                // A test call is held until its subscription is in the enricher's table: once both
                // test webhooks arrived, the example's calls find both subscriptions.
                long testCall = (1L << 52) + System.nanoTime() % 1_000_000;
                for (Subscription subscription : subscriptions) {
                    CallEvent test = testCall(testCall++, subscription.getId());
                    send(producer, names.callEvents(), Long.toString(test.getCallId()),
                            topics.callEvents().valueSerde().serializer().serialize(names.callEvents(), test));
                }
                Awaitility.await().atMost(Duration.ofSeconds(90))
                        .until(() -> !receiver.received("/ck").isEmpty() && !receiver.received("/ct").isEmpty());

                Map<String, String> exampleEnv = new HashMap<>(Map.of(
                        "KAFKA_BROKERS", infra.bootstrapServers(), "SCHEMA_REGISTRY_URL", infra.ccompatUrl(),
                        "ACCOUNT_ID", Long.toString(ACCOUNT), "CALLS_TOPIC", names.callEvents(), "VISITS_TOPIC", names.visits(),
                        "ATTEMPTS_TOPIC", names.attempts(),
                        // The guide's setting: more room than the default 2 s for a machine busy with other tests.
                        "VISIT_LEAD_MS", "5000"));
                exampleEnv.putAll(npmCache());
                Processes.Result run = Processes.run(List.of("bash", "-euo", "pipefail", "-c", Markdown.command(guide, "node-producer")),
                        Repo.ROOT, exampleEnv, Duration.ofMinutes(4));
                assertThat(run.exitCode()).as(run.output()).isZero();

                Map<Long, String> products = new LinkedHashMap<>();
                Matcher call = PUBLISHED_CALL.matcher(run.output());
                while (call.find()) {
                    products.put(Long.parseLong(call.group(1)), call.group(2));
                }
                Matcher visit = PUBLISHED_VISIT.matcher(run.output());
                assertThat(visit.find()).as(run.output()).isTrue();
                assertThat(products.values()).as(run.output()).containsExactlyInAnyOrder("CALLKEEPER", "CALLTRACKING");

                Awaitility.await().atMost(Duration.ofSeconds(60)).until(
                        () -> webhooksOfCalls(receiver.received("/ck"), products).size() == 2
                                && webhooksOfCalls(receiver.received("/ct"), products).size() == 2);
                Thread.sleep(1000); // room for a duplicate, if any, to show up

                List<CapturingReceiver.Captured> callKeeper = webhooksOfCalls(receiver.received("/ck"), products);
                assertThat(callKeeper).hasSize(2);
                for (CapturingReceiver.Captured webhook : callKeeper) {
                    assertThat(Webhooks.signedWith(ckSecret, webhook)).as("signature").isTrue();
                    assertThat(webhook.header("content-type")).startsWith("application/json");
                    JsonNode body = JSON.readTree(webhook.body());
                    assertThat(products.get(body.get("id").asLong())).isEqualTo("CALLKEEPER");
                    assertThat(body.at("/visit_info/current/utm_source").asText()).isEqualTo("yandex");
                    assertThat(body.at("/visit_info/udata/uag").asText()).startsWith("Mozilla/5.0");
                    assertThat(body.at("/visit_info/session/pgs").asInt()).isEqualTo(4);
                    assertThat(body.get("phone2").asText()).isEqualTo("+79161234567");
                }
                assertThat(callKeeper).extracting(webhook -> JSON.readTree(webhook.body()).get("hook_event").asText())
                        .containsExactlyInAnyOrder("Call is processing", "Call is over");

                List<CapturingReceiver.Captured> calltracking = webhooksOfCalls(receiver.received("/ct"), products);
                assertThat(calltracking).hasSize(2);
                for (CapturingReceiver.Captured webhook : calltracking) {
                    assertThat(Webhooks.signedWith(ctSecret, webhook)).as("signature").isTrue();
                    assertThat(webhook.header("content-type")).startsWith("application/x-www-form-urlencoded");
                    Map<String, String> form = form(webhook.bodyText());
                    assertThat(products.get(Long.parseLong(form.get("id")))).isEqualTo("CALLTRACKING");
                    assertThat(form).containsEntry("visit_info[current][utm_term]", "диван")
                            .containsEntry("client_phone", "+79161234567").doesNotContainKey("phone2")
                            .containsKey("visit_info[udata][user_agent]").doesNotContainKey("visit_info[udata][uag]");
                }
                assertThat(calltracking).extracting(webhook -> form(webhook.bodyText()).get("duration_sec"))
                        .containsExactlyInAnyOrder("", "75");

                // Two test webhooks and four of the example: six attempts, all delivered, read with kafkajs.
                exampleEnv.put("LIMIT", "6");
                Processes.Result attempts = Processes.run(List.of("bash", "-euo", "pipefail", "-c",
                        Markdown.command(guide, "node-attempts")), Repo.ROOT, exampleEnv, Duration.ofMinutes(2));
                assertThat(attempts.exitCode()).as(attempts.output()).isZero();
                assertThat(attempts.output().lines().filter(line -> line.contains(": DELIVERED (HTTP 204")).count())
                        .as(attempts.output()).isEqualTo(6);
            } finally {
                dispatcher.close();
                vertx.close().await();
            }
        }
    }

    /** The npm cache that scripts/install-node-examples.sh fills, so 'npm ci' here downloads nothing again. */
    static Map<String, String> npmCache() {
        String cache = System.getenv().getOrDefault("CALLHOOK_CACHE", System.getProperty("user.home") + "/.cache/callhook");
        return Map.of("npm_config_cache", cache + "/npm", "npm_config_prefer_offline", "true",
                "npm_config_audit", "false", "npm_config_fund", "false", "npm_config_update_notifier", "false");
    }

    private static List<CapturingReceiver.Captured> webhooksOfCalls(List<CapturingReceiver.Captured> received, Map<Long, String> calls) {
        return received.stream().filter(webhook -> calls.containsKey(callIdOf(webhook))).toList();
    }

    private static long callIdOf(CapturingReceiver.Captured webhook) {
        try {
            String type = webhook.header("content-type");
            return type != null && type.startsWith("application/json") ? JSON.readTree(webhook.body()).get("id").asLong()
                    : Long.parseLong(form(webhook.bodyText()).get("id"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            pairs.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return pairs;
    }

    private static CallEvent testCall(long callId, String subscriptionId) {
        Instant now = Instant.now();
        return CallEvent.newBuilder().setEventId("test-" + callId).setCallId(callId).setAccountId(ACCOUNT)
                .setProduct(subscriptionId.equals("node-ck") ? Product.CALLKEEPER : Product.CALLTRACKING)
                .setPhase(CallPhase.STARTED).setOccurredAt(now).setCallDate(now).setTest(true)
                .setTargetSubscriptionId(subscriptionId).build();
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get(10, TimeUnit.SECONDS);
    }
}
