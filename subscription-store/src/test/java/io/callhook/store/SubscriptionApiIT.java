package io.callhook.store;

import static io.callhook.store.StoreHarness.ADMIN;
import static io.callhook.store.StoreHarness.accountToken;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.callhook.model.AttemptOutcome;
import io.callhook.model.CallEvent;
import io.callhook.model.CallPhase;
import io.callhook.model.DeadLetter;
import io.callhook.model.DeliveryAttempt;
import io.callhook.model.Product;
import io.callhook.model.Subscription;
import io.callhook.model.WebhookRequest;
import io.callhook.net.AddressPolicy;
import io.callhook.store.StoreHarness.Answer;
import io.callhook.store.app.StoreApp;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import io.callhook.testkit.TopicTail;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every endpoint of API.md against the real broker and registry (SSRF allowlist off, as in production). */
@RealInfra
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubscriptionApiIT {

    private static final String URL = "https://crm.example.com/hooks/calls";
    private StoreHarness harness;
    private StoreApp store;

    @BeforeAll
    void start(Infra infra) throws Exception {
        harness = new StoreHarness(infra, "api.");
        store = harness.start("store-api-it", AddressPolicy.STRICT, Map.of("CALLHOOK_STORE_MAX_SUBSCRIPTIONS_PER_ACCOUNT", "3",
                "CALLHOOK_STORE_REPLAY_MAX_LETTERS", "2", "CALLHOOK_STORE_REPLAY_MAX_RANGE", "48h"));
    }

    @AfterAll
    void stop() throws Exception {
        store.close();
        harness.close();
    }

    private Answer call(String method, String path, String token, String body) throws Exception {
        return harness.call(store, method, path, token, body);
    }

    private JsonNode create(long account, String body) throws Exception {
        Answer answer = call("POST", "/api/v1/subscriptions", accountToken(account), body);
        assertThat(answer.status()).as(answer.text()).isEqualTo(201);
        return answer.body();
    }

    private static String callKeeper(long account, String url) {
        return "{\"accountId\":" + account + ",\"product\":\"CALLKEEPER\",\"url\":\"" + url + "\"}";
    }

    @Test
    void createReturnsTheSubscriptionWithItsSecretAndDefaults() throws Exception {
        JsonNode created = create(101, callKeeper(101, URL));

        assertThat(created.get("id").asText()).startsWith("sub_");
        assertThat(created.get("secret").asText()).startsWith("whsec_");
        assertThat(created.get("events")).extracting(JsonNode::asText).containsExactly("STARTED", "ENDED");
        assertThat(created.get("contentType").asText()).isEqualTo("application/json");
        assertThat(created.get("method").asText()).isEqualTo("POST");
        assertThat(created.get("enabled").asBoolean()).isTrue();
        assertThat(created.get("counters").get("sent").asLong()).isZero();

        Answer read = call("GET", "/api/v1/subscriptions/" + created.get("id").asText(), accountToken(101), null);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body().get("url").asText()).isEqualTo(URL);
    }

    @Test
    void calltrackingChoosesEventsFormatAndRenames() throws Exception {
        JsonNode created = create(102, "{\"accountId\":102,\"product\":\"CALLTRACKING\",\"url\":\"" + URL + "\","
                + "\"events\":[\"ENDED\"],\"contentType\":\"application/x-www-form-urlencoded\",\"method\":\"POST\","
                + "\"renames\":{\"visit_info.udata.uag\":\"user_agent\",\"phone2\":\"client_phone\"},"
                + "\"params\":{\"crm_key\":\"k1\"},\"headers\":{\"X-Api-Key\":\"abc\"},\"rateLimit\":20}");

        assertThat(created.get("events")).extracting(JsonNode::asText).containsExactly("ENDED");
        assertThat(created.get("contentType").asText()).isEqualTo("application/x-www-form-urlencoded");
        assertThat(created.get("renames").get("visit_info.udata.uag").asText()).isEqualTo("user_agent");
        assertThat(created.get("params").get("crm_key").asText()).isEqualTo("k1");
        assertThat(created.get("rateLimit").asInt()).isEqualTo(20);
    }

    @Test
    void listShowsTheAccountsSubscriptionsOnly() throws Exception {
        String first = create(103, callKeeper(103, URL + "/1")).get("id").asText();
        String second = create(103, callKeeper(103, URL + "/2")).get("id").asText();
        create(104, callKeeper(104, URL + "/other"));

        Answer own = call("GET", "/api/v1/subscriptions", accountToken(103), null);
        assertThat(own.body().get("subscriptions")).extracting(node -> node.get("id").asText()).containsExactly(first, second);
        Answer admin = call("GET", "/api/v1/subscriptions?accountId=103", ADMIN, null);
        assertThat(admin.body().get("subscriptions")).hasSize(2);
    }

    @Test
    void tokensAreCheckedAndAccountsCannotSeeEachOther() throws Exception {
        String id = create(105, callKeeper(105, URL)).get("id").asText();

        assertThat(call("GET", "/api/v1/subscriptions/" + id, null, null).status()).isEqualTo(401);
        assertThat(call("GET", "/api/v1/subscriptions/" + id, "wrong", null).status()).isEqualTo(401);
        assertThat(call("GET", "/api/v1/subscriptions/" + id, "ak_105_forged", null).status()).isEqualTo(401);
        for (String[] request : new String[][] {{"GET", ""}, {"PATCH", ""}, {"DELETE", ""}, {"POST", "/test"},
                {"POST", "/rotate-secret"}, {"GET", "/attempts"}}) {
            String body = request[0].equals("PATCH") ? "{\"url\":\"" + URL + "/x\"}" : null;
            Answer answer = call(request[0], "/api/v1/subscriptions/" + id + request[1], accountToken(106), body);
            assertThat(answer.status()).as(String.join(" ", request)).isEqualTo(404);
        }
        assertThat(call("GET", "/api/v1/subscriptions?accountId=105", accountToken(106), null).status()).isEqualTo(404);
        assertThat(call("POST", "/api/v1/subscriptions", accountToken(106), callKeeper(105, URL)).status()).isEqualTo(400);
        assertThat(call("GET", "/api/v1/subscriptions/" + id, ADMIN, null).status()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "url not http    | {\"accountId\":107,\"product\":\"CALLKEEPER\",\"url\":\"ftp://crm.example.com/x\"} | url: must be an absolute http or https URL",
            "url relative    | {\"accountId\":107,\"product\":\"CALLKEEPER\",\"url\":\"/hooks\"} | url: must be an absolute http or https URL",
            "url userinfo    | {\"accountId\":107,\"product\":\"CALLKEEPER\",\"url\":\"https://u:p@crm.example.com/x\"} | url: must not carry a user name or password",
            "url private     | {\"accountId\":107,\"product\":\"CALLKEEPER\",\"url\":\"http://10.0.0.1/x\"} | url: 10.0.0.1 is a private address",
            "url loopback    | {\"accountId\":107,\"product\":\"CALLKEEPER\",\"url\":\"http://127.0.0.1:8080/x\"} | url: 127.0.0.1 is a loopback address",
            "url metadata    | {\"accountId\":107,\"product\":\"CALLKEEPER\",\"url\":\"http://169.254.169.254/latest\"} | url: 169.254.169.254",
            "url missing     | {\"accountId\":107,\"product\":\"CALLKEEPER\"} | url: missing",
            "product unknown | {\"accountId\":107,\"product\":\"FAX\",\"url\":\"https://crm.example.com/x\"} | product: 'FAX' is not CALLKEEPER or CALLTRACKING",
            "content type    | {\"accountId\":107,\"product\":\"CALLTRACKING\",\"url\":\"https://crm.example.com/x\",\"contentType\":\"text/xml\"} | contentType: 'text/xml' is not application/json or application/x-www-form-urlencoded",
            "events unknown  | {\"accountId\":107,\"product\":\"CALLTRACKING\",\"url\":\"https://crm.example.com/x\",\"events\":[\"ANSWERED\"]} | events: 'ANSWERED' is not STARTED or ENDED",
            "events empty    | {\"accountId\":107,\"product\":\"CALLTRACKING\",\"url\":\"https://crm.example.com/x\",\"events\":[]} | events: choose at least one of STARTED, ENDED",
            "callkeeper form | {\"accountId\":107,\"product\":\"CALLKEEPER\",\"url\":\"https://crm.example.com/x\",\"contentType\":\"application/x-www-form-urlencoded\"} | format: CALLKEEPER subscriptions are sent as JSON with POST",
            "callkeeper rename | {\"accountId\":107,\"product\":\"CALLKEEPER\",\"url\":\"https://crm.example.com/x\",\"renames\":{\"phone2\":\"client\"}} | renames: CALLKEEPER subscriptions send the documented keys",
            "rename unknown  | {\"accountId\":107,\"product\":\"CALLTRACKING\",\"url\":\"https://crm.example.com/x\",\"renames\":{\"visit_info.udata.ua\":\"ua\"}} | renames: \"visit_info.udata.ua\" is not a documented key",
            "rename invalid  | {\"accountId\":107,\"product\":\"CALLTRACKING\",\"url\":\"https://crm.example.com/x\",\"renames\":{\"phone2\":\"client phone\"}} | renames: ",
            "rename collides | {\"accountId\":107,\"product\":\"CALLTRACKING\",\"url\":\"https://crm.example.com/x\",\"renames\":{\"phone2\":\"phone1\"}} | renames: ",
            "header CRLF     | {\"accountId\":107,\"product\":\"CALLKEEPER\",\"url\":\"https://crm.example.com/x\",\"headers\":{\"X-A\":\"a\\r\\nX-B: b\"}} | headers: the value of 'X-A' must be at most 4096 characters without CR, LF or NUL",
            "header override | {\"accountId\":107,\"product\":\"CALLKEEPER\",\"url\":\"https://crm.example.com/x\",\"headers\":{\"webhook-signature\":\"v1,x\"}} | headers: 'webhook-signature' is set by Callhook and cannot be overridden",
            "header name     | {\"accountId\":107,\"product\":\"CALLKEEPER\",\"url\":\"https://crm.example.com/x\",\"headers\":{\"X Bad\":\"v\"}} | headers: 'X Bad' is not a valid header name",
            "param collides  | {\"accountId\":107,\"product\":\"CALLTRACKING\",\"url\":\"https://crm.example.com/x\",\"params\":{\"city\":\"x\"}} | params: ",
            "rate limit      | {\"accountId\":107,\"product\":\"CALLKEEPER\",\"url\":\"https://crm.example.com/x\",\"rateLimit\":0} | rateLimitPerSecond: 0 is outside",
            "method unknown  | {\"accountId\":107,\"product\":\"CALLTRACKING\",\"url\":\"https://crm.example.com/x\",\"method\":\"DELETE\"} | method: 'DELETE' is not POST, GET, PUT or PATCH",
            "unknown field   | {\"accountId\":107,\"product\":\"CALLKEEPER\",\"url\":\"https://crm.example.com/x\",\"colour\":\"red\"} | colour: is not a field of a subscription",
            "wrong type      | {\"accountId\":\"many\",\"product\":\"CALLKEEPER\",\"url\":\"https://crm.example.com/x\"} | accountId: has the wrong type",
            "account missing | {\"product\":\"CALLKEEPER\",\"url\":\"https://crm.example.com/x\"} | accountId: missing",
    })
    void eachRuleIsRefusedWith400NamingTheField(String rule, String body, String problem) throws Exception {
        Answer answer = call("POST", "/api/v1/subscriptions", ADMIN, body);

        assertThat(answer.status()).as(answer.text()).isEqualTo(400);
        assertThat(answer.body().get("problems")).as(answer.text()).extracting(JsonNode::asText)
                .anySatisfy(text -> assertThat(text).startsWith(problem.strip()));
    }

    @Test
    void tooLongUrlsAndNonJsonBodiesAreRefused() throws Exception {
        String longUrl = "https://crm.example.com/" + "a".repeat(2100);
        Answer tooLong = call("POST", "/api/v1/subscriptions", ADMIN, callKeeper(107, longUrl));
        assertThat(tooLong.body().get("problems").get(0).asText()).startsWith("url: longer than 2048");
        Answer notJson = call("POST", "/api/v1/subscriptions", ADMIN, "not json");
        assertThat(notJson.status()).isEqualTo(400);
    }

    @Test
    void putAndPatchChangeWhatTheyShouldAndNoMore() throws Exception {
        JsonNode created = create(108, "{\"accountId\":108,\"product\":\"CALLTRACKING\",\"url\":\"" + URL + "\",\"events\":[\"ENDED\"]}");
        String id = created.get("id").asText();

        Answer patched = call("PATCH", "/api/v1/subscriptions/" + id, accountToken(108), "{\"url\":\"" + URL + "/v2\"}");
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.body().get("url").asText()).endsWith("/v2");
        assertThat(patched.body().get("events")).extracting(JsonNode::asText).containsExactly("ENDED");
        assertThat(call("GET", "/api/v1/subscriptions/" + id + "/secret", accountToken(108), null).body().get("secret").asText())
                .isEqualTo(created.get("secret").asText());

        Answer put = call("PUT", "/api/v1/subscriptions/" + id, accountToken(108), "{\"url\":\"" + URL + "/v3\"}");
        assertThat(put.status()).isEqualTo(200);
        assertThat(put.body().get("events")).extracting(JsonNode::asText).containsExactly("STARTED", "ENDED");

        assertThat(call("PUT", "/api/v1/subscriptions/" + id, accountToken(108), "{\"method\":\"GET\"}").body()
                .get("problems").get(0).asText()).startsWith("url: missing");
        assertThat(call("PATCH", "/api/v1/subscriptions/" + id, accountToken(108), "{\"product\":\"CALLKEEPER\"}").body()
                .get("problems").get(0).asText()).isEqualTo("product: cannot be changed");
        Answer limited = call("PATCH", "/api/v1/subscriptions/" + id, accountToken(108), "{\"rateLimit\":5,\"params\":{\"k\":\"v\"}}");
        assertThat(limited.body().get("rateLimit").asInt()).isEqualTo(5);
        Answer cleared = call("PATCH", "/api/v1/subscriptions/" + id, accountToken(108), "{\"rateLimit\":null,\"params\":null}");
        assertThat(cleared.body().get("rateLimit").isNull()).as("an explicit null clears").isTrue();
        assertThat(cleared.body().get("params")).isEmpty();
        Answer disabled = call("PATCH", "/api/v1/subscriptions/" + id, accountToken(108), "{\"enabled\":false}");
        assertThat(disabled.body().get("enabled").asBoolean()).isFalse();
        assertThat(disabled.body().get("disabledReason").asText()).isEqualTo("disabled by the customer");
    }

    @Test
    void rotatingTheSecretKeepsTheOldOneSigningForAWhile() throws Exception {
        JsonNode created = create(109, callKeeper(109, URL));
        String id = created.get("id").asText();

        Answer rotated = call("POST", "/api/v1/subscriptions/" + id + "/rotate-secret", accountToken(109), "{\"graceSeconds\":3600}");

        assertThat(rotated.status()).isEqualTo(200);
        assertThat(rotated.body().get("secret").asText()).startsWith("whsec_").isNotEqualTo(created.get("secret").asText());
        Instant expires = Instant.parse(rotated.body().get("previousSecretExpiresAt").asText());
        assertThat(expires).isBetween(Instant.now().plusSeconds(3500), Instant.now().plusSeconds(3700));
        Subscription onTopic = latestOnTopic(id);
        assertThat(onTopic.getSecrets()).hasSize(2);
        assertThat(onTopic.getSecrets().get(1).getSecret()).isEqualTo(created.get("secret").asText());
    }

    @Test
    void deleteWritesATombstone() throws Exception {
        String id = create(110, callKeeper(110, URL)).get("id").asText();

        assertThat(call("DELETE", "/api/v1/subscriptions/" + id, accountToken(110), null).status()).isEqualTo(204);
        assertThat(call("GET", "/api/v1/subscriptions/" + id, accountToken(110), null).status()).isEqualTo(404);
        assertThat(latestOnTopic(id)).isNull();
    }

    @Test
    void aTestCallSendsOnlyTheEventsACalltrackingSubscriptionChoseAndSaysSo() throws Exception {
        String id = create(118, "{\"accountId\":118,\"product\":\"CALLTRACKING\",\"url\":\"" + URL
                + "\",\"events\":[\"ENDED\"]}").get("id").asText();

        Answer test = call("POST", "/api/v1/subscriptions/" + id + "/test", accountToken(118), null);

        assertThat(test.status()).as(test.text()).isEqualTo(202);
        assertThat(test.body().get("events")).extracting(JsonNode::asText).containsExactly("ENDED");
        long callId = test.body().get("testCallId").asLong();
        try (TopicTail<String, CallEvent> calls = new TopicTail<>(harness.infra.bootstrapServers(), harness.names.callEvents(),
                new StringDeserializer(), harness.topics.callEvents().valueSerde().deserializer())) {
            List<CallEvent> events = calls.awaitUntil(read -> read.stream().anyMatch(r -> r.value().getCallId() == callId),
                    Duration.ofSeconds(20)).stream().map(r -> r.value()).filter(e -> e.getCallId() == callId).toList();
            assertThat(events).extracting(CallEvent::getPhase).containsExactly(CallPhase.ENDED);
            CallEvent ended = events.get(0);
            assertThat(ended.getClientIp()).as("an address with geo data").isNotNull();
            assertThat(ended.getVisitorId()).isNotNull();
            assertThat(ended.getDurationSec()).isPositive();
        }
    }

    @Test
    void aTestCallIsPublishedForThisSubscriptionOnly() throws Exception {
        JsonNode created = create(111, callKeeper(111, URL));
        String id = created.get("id").asText();

        Answer test = call("POST", "/api/v1/subscriptions/" + id + "/test", accountToken(111), null);

        assertThat(test.status()).isEqualTo(202);
        long callId = test.body().get("testCallId").asLong();
        try (TopicTail<String, CallEvent> calls = new TopicTail<>(harness.infra.bootstrapServers(), harness.names.callEvents(),
                new StringDeserializer(), harness.topics.callEvents().valueSerde().deserializer())) {
            List<CallEvent> events = calls.awaitUntil(read -> read.stream().filter(r -> r.value().getCallId() == callId).count() == 2,
                    Duration.ofSeconds(20)).stream().map(r -> r.value()).filter(e -> e.getCallId() == callId).toList();
            assertThat(events).extracting(CallEvent::getPhase).containsExactly(CallPhase.STARTED, CallPhase.ENDED);
            assertThat(events).allSatisfy(event -> {
                assertThat(event.getTest()).isTrue();
                assertThat(event.getTargetSubscriptionId()).isEqualTo(id);
                assertThat(event.getAccountId()).isEqualTo(111);
                assertThat(event.getProduct()).isEqualTo(Product.CALLKEEPER);
            });
        }
    }

    @Test
    void countersAndAttemptLogCountEachAttemptOnceEvenWhenItsRecordIsReplayed() throws Exception {
        String id = create(112, callKeeper(112, URL)).get("id").asText();
        // The log is newest first by when each attempt started.
        Instant t0 = Instant.now().minusSeconds(60);
        DeliveryAttempt failed = DeliveryAttempt.newBuilder(attempt(id, "msg_c1", 1, AttemptOutcome.RETRYING, 503)).setStartedAt(t0).build();
        DeliveryAttempt delivered = DeliveryAttempt.newBuilder(attempt(id, "msg_c1", 2, AttemptOutcome.DELIVERED, 200))
                .setStartedAt(t0.plusSeconds(5)).build();
        DeliveryAttempt other = DeliveryAttempt.newBuilder(attempt(id, "msg_c2", 1, AttemptOutcome.DELIVERED, 204))
                .setStartedAt(t0.plusSeconds(10)).build();
        for (DeliveryAttempt attempt : List.of(failed, delivered, other, delivered, other)) {
            publish(harness.names.attempts(), id, harness.topics.attempts().valueSerde().serializer()
                    .serialize(harness.names.attempts(), attempt));
        }

        JsonNode counters = Awaitility.await().atMost(Duration.ofSeconds(30)).until(
                () -> call("GET", "/api/v1/subscriptions/" + id, accountToken(112), null).body().get("counters"),
                c -> c != null && !c.isNull() && c.get("sent").asLong() + c.get("failed").asLong() >= 3);
        Thread.sleep(1500);
        counters = call("GET", "/api/v1/subscriptions/" + id, accountToken(112), null).body().get("counters");
        assertThat(counters.get("sent").asLong()).as("replayed attempt records do not count twice").isEqualTo(2);
        assertThat(counters.get("failed").asLong()).isEqualTo(1);

        JsonNode attempts = call("GET", "/api/v1/subscriptions/" + id + "/attempts", accountToken(112), null).body().get("attempts");
        assertThat(attempts).hasSize(3);
        assertThat(attempts.get(0).get("attemptId").asText()).isEqualTo("msg_c2/1");
        assertThat(attempts.get(2).get("status").asInt()).isEqualTo(503);
        assertThat(call("GET", "/api/v1/subscriptions/" + id + "/attempts?limit=1", accountToken(112), null).body()
                .get("attempts")).hasSize(1);
    }

    @Test
    void deadLettersAreListedAndReplayedIntoDelivery() throws Exception {
        String id = create(113, callKeeper(113, URL)).get("id").asText();
        DeadLetter letter = DeadLetterFixtures.retriesExhausted(id, 113, "msg_dead", URL);
        publish(harness.names.deadLetters(), id, harness.topics.deadLetters().valueSerde().serializer()
                .serialize(harness.names.deadLetters(), letter));

        JsonNode listed = Awaitility.await().atMost(Duration.ofSeconds(30)).until(
                () -> call("GET", "/api/v1/dead-letters?subscriptionId=" + id, accountToken(113), null).body().get("deadLetters"),
                list -> list != null && list.size() == 1);
        assertThat(listed.get(0).get("reasonCode").asText()).isEqualTo("RETRIES_EXHAUSTED");
        assertThat(listed.get(0).get("webhookId").asText()).isEqualTo("msg_dead");
        assertThat(listed.get(0).get("attempts").asInt()).isEqualTo(1);

        try (TopicTail<String, WebhookRequest> outbound = new TopicTail<>(harness.infra.bootstrapServers(), harness.names.outbound(),
                new StringDeserializer(), harness.topics.outbound().valueSerde().deserializer())) {
            Answer replay = call("POST", "/api/v1/dead-letters/replay", accountToken(113), "{\"subscriptionId\":\"" + id + "\"}");
            assertThat(replay.status()).isEqualTo(202);
            assertThat(replay.body().get("replayed").asInt()).isEqualTo(1);
            WebhookRequest replayed = outbound.awaitUntil(read -> read.stream().anyMatch(r -> r.value().getWebhookId().equals("msg_dead")),
                    Duration.ofSeconds(20)).stream().map(r -> r.value()).filter(r -> r.getWebhookId().equals("msg_dead")).findFirst().orElseThrow();
            assertThat(replayed.getScheduleStart()).isEqualTo(1);

            // Asked again: the letter was replayed already, so nothing goes out twice.
            Answer again = call("POST", "/api/v1/dead-letters/replay", accountToken(113), "{\"subscriptionId\":\"" + id + "\"}");
            assertThat(again.status()).as(again.text()).isEqualTo(202);
            assertThat(again.body().get("replayed").asInt()).isZero();
            assertThat(again.body().get("alreadyReplayed").asInt()).isEqualTo(1);
            Thread.sleep(1000);
            assertThat(outbound.values()).filteredOn(r -> r.getWebhookId().equals("msg_dead")).hasSize(1);
        }
        assertThat(call("POST", "/api/v1/dead-letters/replay", accountToken(114), "{\"subscriptionId\":\"" + id + "\"}").status())
                .isEqualTo(404);
    }

    @Test
    void aReplaySendsAtMostMaxLettersAndTheSameReplayAgainSendsTheRest() throws Exception {
        String id = create(116, callKeeper(116, URL)).get("id").asText();
        for (int n = 1; n <= 3; n++) {
            publish(harness.names.deadLetters(), id, harness.topics.deadLetters().valueSerde().serializer()
                    .serialize(harness.names.deadLetters(), DeadLetterFixtures.retriesExhausted(id, 116, "msg_bounded_" + n, URL)));
        }
        String request = "{\"subscriptionId\":\"" + id + "\"}";

        JsonNode first = call("POST", "/api/v1/dead-letters/replay", accountToken(116), request).body();
        JsonNode second = call("POST", "/api/v1/dead-letters/replay", accountToken(116), request).body();

        assertThat(first.get("state").asText()).isEqualTo("DONE");
        assertThat(first.get("replayed").asInt()).isEqualTo(2);
        assertThat(first.get("complete").asBoolean()).isFalse();
        assertThat(second.get("replayed").asInt()).isEqualTo(1);
        assertThat(second.get("alreadyReplayed").asInt()).isEqualTo(2);
        assertThat(second.get("complete").asBoolean()).isTrue();
        Answer status = call("GET", "/api/v1/dead-letters/replays/" + first.get("replayId").asText(), accountToken(116), null);
        assertThat(status.body().get("replayed").asInt()).isEqualTo(2);
        assertThat(call("GET", "/api/v1/dead-letters/replays/" + first.get("replayId").asText(), accountToken(117), null).status())
                .as("another account's replay").isEqualTo(404);

        Answer tooLong = call("POST", "/api/v1/dead-letters/replay", accountToken(116), "{\"subscriptionId\":\"" + id
                + "\",\"from\":\"2026-01-01T00:00:00Z\",\"to\":\"2026-01-04T00:00:00Z\"}");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.body().get("problems").get(0).asText()).isEqualTo("from/to: one replay covers at most 48 hours; split the range");
    }

    @Test
    void aRecordWrittenStraightToTheTopicThatBreaksTheRulesIsIgnoredWithoutHarm() throws Exception {
        Subscription invalid = Subscription.newBuilder()
                .setId("sub_from_another_producer").setAccountId(115).setProduct(Product.CALLKEEPER).setUrl("ftp://nowhere")
                .setCreatedAt(Instant.now()).setUpdatedAt(Instant.now()).build();
        publish(harness.names.subscriptions(), invalid.getId(), harness.topics.subscriptions().valueSerde().serializer()
                .serialize(harness.names.subscriptions(), invalid));
        publish(harness.names.subscriptions(), "sub_garbage", "not avro at all".getBytes());
        Thread.sleep(1000);

        assertThat(call("GET", "/api/v1/subscriptions/sub_from_another_producer", ADMIN, null).status()).isEqualTo(404);
        assertThat(call("GET", "/api/v1/subscriptions?accountId=115", ADMIN, null).body().get("subscriptions")).isEmpty();
        assertThat(store.readiness().isUp()).isTrue();
        create(115, callKeeper(115, URL));
    }


    @Test
    void aMultipartRequestWritesNoFileWithoutATokenNorWithOne() throws Exception {
        Path uploads = Path.of("file-uploads");
        long before = filesUnder(uploads);
        String boundary = "callhook-test-boundary";
        String part = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"fill.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n" + "x".repeat(20_000) + "\r\n--" + boundary + "--\r\n";
        for (String token : new String[] {null, accountToken(120)}) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + store.port() + "/api/v1/subscriptions"))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofString(part));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            Answer answer = harness.send(request.build());
            assertThat(answer.status()).as(answer.text()).isEqualTo(token == null ? 401 : 415);
        }
        Thread.sleep(500);
        assertThat(filesUnder(uploads)).as("files under " + uploads.toAbsolutePath()).isEqualTo(before);
    }

    private static long filesUnder(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (var files = Files.list(dir)) {
            return files.count();
        }
    }

    @Test
    void theSecretIsShownOnCreateRotateAndRequestOnly() throws Exception {
        JsonNode created = create(121, callKeeper(121, URL));
        String id = created.get("id").asText();
        String secret = created.get("secret").asText();
        assertThat(secret).startsWith("whsec_");

        Answer list = call("GET", "/api/v1/subscriptions", accountToken(121), null);
        Answer one = call("GET", "/api/v1/subscriptions/" + id, accountToken(121), null);
        Answer patched = call("PATCH", "/api/v1/subscriptions/" + id, accountToken(121), "{\"url\":\"" + URL + "/v2\"}");
        for (Answer answer : List.of(list, one, patched)) {
            assertThat(answer.status()).as(answer.text()).isEqualTo(200);
            assertThat(answer.text()).doesNotContain("whsec_");
        }

        Answer shown = call("GET", "/api/v1/subscriptions/" + id + "/secret", accountToken(121), null);
        assertThat(shown.status()).as(shown.text()).isEqualTo(200);
        assertThat(shown.body().get("secret").asText()).isEqualTo(secret);
        assertThat(call("GET", "/api/v1/subscriptions/" + id + "/secret", accountToken(122), null).status()).isEqualTo(404);
        assertThat(call("GET", "/api/v1/subscriptions/" + id + "/secret", null, null).status()).isEqualTo(401);

        Answer rotated = call("POST", "/api/v1/subscriptions/" + id + "/rotate-secret", accountToken(121), null);
        assertThat(rotated.body().get("secret").asText()).startsWith("whsec_").isNotEqualTo(secret);
        assertThat(call("GET", "/api/v1/subscriptions/" + id + "/secret", accountToken(121), null).body().get("secret").asText())
                .isEqualTo(rotated.body().get("secret").asText());
    }

    @Test
    void anAccountCannotHaveMoreSubscriptionsThanTheCap() throws Exception {
        for (int i = 0; i < 3; i++) {
            create(123, callKeeper(123, URL + "/" + i));
        }

        Answer refused = call("POST", "/api/v1/subscriptions", accountToken(123), callKeeper(123, URL + "/3"));

        assertThat(refused.status()).as(refused.text()).isEqualTo(409);
        assertThat(refused.body().get("error").asText()).contains("3 subscriptions");
        assertThat(call("GET", "/api/v1/subscriptions", accountToken(123), null).body().get("subscriptions")).hasSize(3);
        create(124, callKeeper(124, URL));
    }

    @Test
    void anUndecodableAttemptIsDeadLetteredWithItsCoordinatesAndCountingGoesOn() throws Exception {
        String id = create(125, callKeeper(125, URL)).get("id").asText();
        byte[] garbage = "not an attempt at all".getBytes();
        try (TopicTail<String, DeadLetter> deadLetters = new TopicTail<>(harness.infra.bootstrapServers(), harness.names.deadLetters(),
                new StringDeserializer(), harness.topics.deadLetters().valueSerde().deserializer())) {
            RecordMetadata written = publish(harness.names.attempts(), id, garbage);
            publish(harness.names.attempts(), id, harness.topics.attempts().valueSerde().serializer()
                    .serialize(harness.names.attempts(), attempt(id, "msg_after_garbage", 1, AttemptOutcome.DELIVERED, 200)));

            DeadLetter letter = deadLetters.awaitUntil(read -> read.stream().anyMatch(r -> isFrom(r.value(), written)),
                    Duration.ofSeconds(30)).stream().map(r -> r.value()).filter(d -> isFrom(d, written)).findFirst().orElseThrow();
            assertThat(letter.getReasonCode()).isEqualTo("UNDECODABLE");
            assertThat(letter.getRawValue()).isEqualTo(ByteBuffer.wrap(garbage));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode counters = call("GET", "/api/v1/subscriptions/" + id, accountToken(125), null).body().get("counters");
            return counters != null && counters.path("sent").asLong() == 1;
        });
        assertThat(store.readiness().isUp()).isTrue();
    }

    private static boolean isFrom(DeadLetter letter, RecordMetadata written) {
        return letter.getSource().getTopic().equals(written.topic()) && letter.getSource().getPartition() == written.partition()
                && letter.getSource().getOffset() == written.offset();
    }

    private RecordMetadata publish(String topic, String key, byte[] value) throws Exception {
        return harness.publish(topic, key, value);
    }

    private Subscription latestOnTopic(String id) throws Exception {
        try (TopicTail<String, Subscription> subscriptions = new TopicTail<>(harness.infra.bootstrapServers(), harness.names.subscriptions(),
                new StringDeserializer(), harness.topics.subscriptions().valueSerde().deserializer())) {
            Thread.sleep(1500);
            return subscriptions.records().stream().filter(r -> id.equals(r.key())).reduce((a, b) -> b).orElseThrow().value();
        }
    }

    private static DeliveryAttempt attempt(String subscriptionId, String webhookId, int number, AttemptOutcome outcome, Integer status) {
        return DeliveryAttempt.newBuilder().setAttemptId(webhookId + "/" + number).setWebhookId(webhookId)
                .setSubscriptionId(subscriptionId).setAccountId(1).setCallId(1).setPhase(CallPhase.ENDED)
                .setAttemptNumber(number).setStartedAt(Instant.now().plusMillis(number)).setLatencyMs(12).setOutcome(outcome)
                .setHttpStatus(status).setResponseExcerpt("ok").build();
    }
}
