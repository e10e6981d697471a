package io.callhook.store;

import static io.callhook.store.StoreHarness.accountToken;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.callhook.model.AttemptOutcome;
import io.callhook.model.CallPhase;
import io.callhook.model.DeliveryAttempt;
import io.callhook.model.HttpMethod;
import io.callhook.model.Product;
import io.callhook.model.SourceCoordinates;
import io.callhook.model.WebhookRequest;
import io.callhook.net.AddressPolicy;
import io.callhook.store.StoreHarness.Answer;
import io.callhook.store.app.StoreApp;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The attempt log against a real broker and registry: more than one page, newest first, filtered
 * by outcome and call; one attempt shown with the request it sent, read back from the outbound
 * topic; that request sent again (a new outbound record with the same webhook id and attempts of
 * its own); and an account opening requests without end is stopped at its limit while another
 * account's are answered.
 */
@RealInfra
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttemptLogIT {

    private static final long ACCOUNT = 801;
    private static final long HOSTILE = 802;
    private StoreHarness harness;
    private StoreApp store;
    private String subscription;
    private final Instant t0 = Instant.now().minusSeconds(3600);

    @BeforeAll
    void start(Infra infra) throws Exception {
        harness = new StoreHarness(infra, "attemptlog.");
        store = harness.start("store-attempt-log-it", AddressPolicy.STRICT, Map.of("CALLHOOK_STORE_ATTEMPT_REQUEST_LIMIT", "10/1h"));
        subscription = create(ACCOUNT);
    }

    @AfterAll
    void stop() throws Exception {
        store.close();
        harness.close();
    }

    @Test
    void moreThanOnePageNewestFirstFilteredByOutcomeAndCall() throws Exception {
        for (int i = 0; i < 130; i++) {
            harness.publish(attempt(subscription, ACCOUNT, "msg_page" + i, t0.plusSeconds(i),
                    i % 5 == 0 ? AttemptOutcome.RETRYING : AttemptOutcome.DELIVERED, 1000 + i % 2, null));
        }
        String first = "/api/v1/subscriptions/" + subscription + "/attempts";
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> ids(call(ACCOUNT, first + "?callId=1000&limit=200")).size() == 65);

        List<String> all = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            JsonNode page = call(ACCOUNT, first + (next == null ? "" : "?before=" + next)).body();
            page.get("attempts").forEach(attempt -> all.add(attempt.get("webhookId").asText()));
            next = page.get("next").isNull() ? null : page.get("next").asText();
            pages++;
        } while (next != null);
        assertThat(pages).as("50 a page").isEqualTo(3);
        assertThat(all).hasSize(130).doesNotHaveDuplicates().startsWith("msg_page129").endsWith("msg_page0");

        List<String> failedOfCall = ids(call(ACCOUNT, first + "?outcome=RETRYING&callId=1000&limit=200"));
        assertThat(failedOfCall).hasSize(13).allSatisfy(id -> assertThat(Integer.parseInt(id.substring(8)) % 10).isZero());
        assertThat(call(ACCOUNT, first + "?outcome=SENT").status()).isEqualTo(400);
        assertThat(call(ACCOUNT, first + "?before=yesterday").status()).isEqualTo(400);
        assertThat(call(ACCOUNT, first + "?limit=201").status()).isEqualTo(400);
        assertThat(call(ACCOUNT, first + "?callId=x").body().get("problems").get(0).asText()).startsWith("callId:");
        assertThat(call(HOSTILE, first).status()).as("another account's log").isEqualTo(404);
    }

    @Test
    void anAttemptShowsTheRequestItSentAndSendsItAgain() throws Exception {
        String sub = create(ACCOUNT);
        WebhookRequest request = WebhookRequest.newBuilder().setWebhookId("msg_sent").setSubscriptionId(sub).setAccountId(ACCOUNT)
                .setProduct(Product.CALLKEEPER).setCallId(4242).setPhase(CallPhase.ENDED).setUrl("https://crm.example.com/hooks/a")
                .setMethod(HttpMethod.POST).setContentType("application/json").setHeaders(Map.of("X-Api-Key", "k1"))
                .setBody(ByteBuffer.wrap("{\"call_id\":4242}".getBytes(StandardCharsets.UTF_8)))
                .setEventTime(t0).setCreatedAt(t0).build();
        RecordMetadata at = harness.publish(harness.names.outbound(), sub,
                harness.topics.outbound().valueSerde().serializer().serialize(harness.names.outbound(), request));
        harness.publish(attempt(sub, ACCOUNT, "msg_sent", t0, AttemptOutcome.RETRYING, 4242,
                new SourceCoordinates(at.topic(), at.partition(), at.offset())));
        harness.publish(attempt(sub, ACCOUNT, "msg_old", t0.minusSeconds(5), AttemptOutcome.DELIVERED, 4241, null));
        harness.publish(attempt(sub, ACCOUNT, "msg_elsewhere", t0.minusSeconds(9), AttemptOutcome.DELIVERED, 4240,
                new SourceCoordinates(harness.names.attempts(), 0, 0L)));
        String log = "/api/v1/subscriptions/" + sub + "/attempts";
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> ids(call(ACCOUNT, log)).size() == 3);
        assertThat(call(ACCOUNT, log).body().get("attempts").get(0).get("requestKnown").asBoolean()).isTrue();

        JsonNode shown = call(ACCOUNT, log + "/msg_sent%2F1").body();
        assertThat(shown.get("attempt").get("attemptId").asText()).isEqualTo("msg_sent/1");
        JsonNode sent = shown.get("request");
        assertThat(sent.get("method").asText()).isEqualTo("POST");
        assertThat(sent.get("url").asText()).isEqualTo("https://crm.example.com/hooks/" + sub);
        assertThat(sent.get("body").asText()).isEqualTo("{\"call_id\":4242}");
        assertThat(sent.get("headers").get("X-Api-Key").asText()).isEqualTo("k1");
        assertThat(sent.get("headers").get("webhook-id").asText()).isEqualTo("msg_sent");
        assertThat(sent.get("headers").get("Content-Type").asText()).isEqualTo("application/json");
        assertThat(call(ACCOUNT, log + "/msg_old%2F1").body().get("requestUnavailable").asText()).contains("before attempts named");
        assertThat(call(ACCOUNT, log + "/msg_elsewhere%2F1").body().get("request").isNull())
                .as("coordinates outside the request topics are never read").isTrue();
        assertThat(call(ACCOUNT, log + "/msg_none%2F1").status()).isEqualTo(404);
        assertThat(call(HOSTILE, log + "/msg_sent%2F1").status()).isEqualTo(404);

        Answer resent = harness.call(store, "POST", log + "/msg_sent%2F1/resend", accountToken(ACCOUNT), null);
        assertThat(resent.status()).as(resent.text()).isEqualTo(202);
        String resendId = resent.body().get("resendId").asText();
        assertThat(resent.body().get("attemptIdPrefix").asText()).isEqualTo("msg_sent/" + resendId + "/");
        WebhookRequest again = readOutbound(sub, at.offset());
        assertThat(again.getWebhookId()).isEqualTo("msg_sent");
        assertThat(again.getResendId()).isEqualTo(resendId);
        assertThat(again.getBody()).isEqualTo(request.getBody());
        assertThat(again.getHeaders()).isEqualTo(request.getHeaders());
        assertThat(again.getScheduleStart()).isEqualTo(request.getAttempts().size());
        assertThat(harness.call(store, "POST", log + "/msg_old%2F1/resend", accountToken(ACCOUNT), null).status())
                .as("nothing to send again").isEqualTo(409);
    }

    @Test
    void anAccountOpeningRequestsWithoutEndIsStoppedAtItsLimitAndOthersAreNot() throws Exception {
        String theirs = create(HOSTILE);
        String ours = create(ACCOUNT + 10);
        harness.publish(attempt(theirs, HOSTILE, "msg_h", t0, AttemptOutcome.DELIVERED, 1, null));
        harness.publish(attempt(ours, ACCOUNT + 10, "msg_o", t0, AttemptOutcome.DELIVERED, 1, null));
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> ids(call(HOSTILE, "/api/v1/subscriptions/" + theirs + "/attempts")).size() == 1
                && ids(call(ACCOUNT + 10, "/api/v1/subscriptions/" + ours + "/attempts")).size() == 1);
        List<Integer> statuses = new ArrayList<>();
        Answer last = null;
        for (int i = 0; i < 14; i++) {
            last = call(HOSTILE, "/api/v1/subscriptions/" + theirs + "/attempts/msg_h%2F1");
            statuses.add(last.status());
        }
        assertThat(statuses.subList(0, 10)).containsOnly(200);
        assertThat(statuses.subList(10, 14)).containsOnly(429);
        assertThat(last.headers().firstValue("Retry-After")).isPresent();
        assertThat(call(ACCOUNT + 10, "/api/v1/subscriptions/" + ours + "/attempts/msg_o%2F1").status()).isEqualTo(200);
        assertThat(call(HOSTILE, "/api/v1/subscriptions/" + theirs + "/attempts").status()).as("the log itself stays open").isEqualTo(200);
    }

    private String create(long account) throws Exception {
        Answer created = harness.call(store, "POST", "/api/v1/subscriptions", accountToken(account), "{\"accountId\":" + account
                + ",\"product\":\"CALLKEEPER\",\"url\":\"https://crm.example.com/hooks/pending\"}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String id = created.body().get("id").asText();
        Answer moved = harness.call(store, "PATCH", "/api/v1/subscriptions/" + id, accountToken(account),
                "{\"url\":\"https://crm.example.com/hooks/" + id + "\"}");
        assertThat(moved.status()).as(moved.text()).isEqualTo(200);
        return id;
    }

    private Answer call(long account, String path) throws Exception {
        return harness.call(store, "GET", path, accountToken(account), null);
    }

    private static List<String> ids(Answer page) {
        List<String> ids = new ArrayList<>();
        if (page.status() == 200) {
            page.body().get("attempts").forEach(attempt -> ids.add(attempt.get("webhookId").asText()));
        }
        return ids;
    }

    private static DeliveryAttempt attempt(String subscriptionId, long account, String webhookId, Instant started,
                                           AttemptOutcome outcome, long callId, SourceCoordinates request) {
        return DeliveryAttempt.newBuilder().setAttemptId(webhookId + "/1").setWebhookId(webhookId)
                .setSubscriptionId(subscriptionId).setAccountId(account).setCallId(callId).setPhase(CallPhase.ENDED)
                .setAttemptNumber(1).setStartedAt(started).setLatencyMs(12).setOutcome(outcome)
                .setHttpStatus(outcome == AttemptOutcome.DELIVERED ? 204 : 500).setRequest(request).build();
    }

    /** The outbound record after the given offset on the subscription's partition: the resend. */
    private WebhookRequest readOutbound(String subscriptionId, long after) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, harness.infra.bootstrapServers()), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(harness.names.outbound()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    WebhookRequest found = harness.topics.outbound().valueSerde().deserializer().deserialize(record.topic(), record.value());
                    if (record.key().equals(subscriptionId) && found.getResendId() != null) {
                        return found;
                    }
                }
            }
            throw new AssertionError("no resend on " + harness.names.outbound() + " after offset " + after);
        }
    }
}
