package io.callhook.store;

import static io.callhook.store.StoreHarness.accountToken;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.callhook.model.AttemptOutcome;
import io.callhook.model.CallPhase;
import io.callhook.model.DeliveryAttempt;
import io.callhook.net.AddressPolicy;
import io.callhook.store.StoreHarness.Answer;
import io.callhook.store.app.StoreApp;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An endpoint whose every attempt has failed for the configured period (5 days in production,
 * 3 s here) is disabled by the store, on the subscription record as it stands (a customer's
 * change made meanwhile survives), with the reason and a metric. Test calls do not count, and a
 * success starts the period over. Attempt times are set on the attempts, so nothing waits 3 s.
 * Likewise an endpoint that answered 410 Gone, which the dispatcher only records.
 */
@RealInfra
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AutoDisableIT {

    private static final String URL = "https://crm.example.com/auto-disable/";
    private StoreHarness harness;
    private StoreApp store;

    @BeforeAll
    void start(Infra infra) throws Exception {
        harness = new StoreHarness(infra, "autodisable.");
        store = harness.start("store-autodisable-it", AddressPolicy.STRICT, Map.of("CALLHOOK_STORE_AUTO_DISABLE_AFTER", "3s"));
    }

    @AfterAll
    void stop() throws Exception {
        store.close();
        harness.close();
    }

    @Test
    void anEndpointFailingForThePeriodIsDisabledKeepingTheCustomersConcurrentChanges() throws Exception {
        String id = create(701, "failing");
        Instant start = Instant.now().plusSeconds(10);
        publish(attempt(id, "msg_a1", start, AttemptOutcome.RETRYING, false));
        awaitCounted(id, 1);
        // The customer keeps editing while the last failures arrive.
        CompletableFuture<Void> edits = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 8; i++) {
                Answer patched = call("PATCH", "/api/v1/subscriptions/" + id, accountToken(701), "{\"params\":{\"edit\":\"" + i + "\"}}");
                assertThat(patched.status()).as(patched.text()).isEqualTo(200);
            }
        });
        publish(attempt(id, "msg_a2", start.plusSeconds(2), AttemptOutcome.RETRYING, false));
        publish(attempt(id, "msg_a3", start.plusSeconds(4), AttemptOutcome.DEAD_LETTERED, false));
        edits.get();

        JsonNode disabled = Awaitility.await().atMost(Duration.ofSeconds(30)).until(
                () -> call("GET", "/api/v1/subscriptions/" + id, accountToken(701), null).body(),
                body -> !body.get("enabled").asBoolean());
        assertThat(disabled.get("disabledReason").asText()).startsWith("every attempt failed since ");
        assertThat(disabled.get("params").get("edit").asText()).as("the customer's last change survives").isEqualTo("7");
        assertThat(harness.meters.get("callhook.store.subscriptions.auto.disabled").counter().count()).isEqualTo(1.0);
    }

    @Test
    void testCallsDoNotCountAndASuccessStartsThePeriodOver() throws Exception {
        String tested = create(702, "tested");
        String recovering = create(702, "recovering");
        Instant start = Instant.now().plusSeconds(10);
        for (int s = 0; s <= 8; s += 2) {
            publish(attempt(tested, "msg_t" + s, start.plusSeconds(s), AttemptOutcome.RETRYING, true));
        }
        publish(attempt(recovering, "msg_r1", start, AttemptOutcome.RETRYING, false));
        publish(attempt(recovering, "msg_r2", start.plusSeconds(2), AttemptOutcome.DELIVERED, false));
        publish(attempt(recovering, "msg_r3", start.plusSeconds(3), AttemptOutcome.RETRYING, false));
        publish(attempt(recovering, "msg_r4", start.plusSeconds(5), AttemptOutcome.RETRYING, false));

        awaitCounted(tested, 5);
        awaitCounted(recovering, 4);
        Thread.sleep(1500);
        assertThat(call("GET", "/api/v1/subscriptions/" + tested, accountToken(702), null).body().get("enabled").asBoolean())
                .as("test calls failing for 8 s").isTrue();
        assertThat(call("GET", "/api/v1/subscriptions/" + recovering, accountToken(702), null).body().get("enabled").asBoolean())
                .as("failing for 2 s since its last success").isTrue();
    }

    /**
     * One writer per topic: the dispatcher only records a 410 (outcome DISABLED, naming the
     * endpoint), and the store disables the subscription on its current record. A change the
     * customer made after the 410's attempt began wins (it may have moved the URL): the
     * subscription stays enabled with the change; a later 410 disables it, keeping the change.
     */
    @Test
    void a410DisablesTheSubscriptionAsItStandsAndAChangeMadeAfterTheAttemptBeganSurvives() throws Exception {
        String id = create(703, "gone");
        Instant beforeTheChange = Instant.now();
        Thread.sleep(20);
        Answer changed = call("PATCH", "/api/v1/subscriptions/" + id, accountToken(703), "{\"headers\":{\"X-Api-Key\":\"new\"}}");
        assertThat(changed.status()).as(changed.text()).isEqualTo(200);

        // The 410 of an attempt that began before the customer's change arrives after it.
        publish(gone(id, "msg_g1", beforeTheChange));
        awaitCounted(id, 1);
        Thread.sleep(1500);
        JsonNode afterOld = call("GET", "/api/v1/subscriptions/" + id, accountToken(703), null).body();
        assertThat(afterOld.get("enabled").asBoolean()).as("the customer's later change wins over an earlier 410").isTrue();
        assertThat(afterOld.get("headers").get("X-Api-Key").asText()).isEqualTo("new");

        Instant later = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        publish(gone(id, "msg_g2", later));
        JsonNode disabled = Awaitility.await().atMost(Duration.ofSeconds(30)).until(
                () -> call("GET", "/api/v1/subscriptions/" + id, accountToken(703), null).body(),
                body -> !body.get("enabled").asBoolean());
        assertThat(disabled.get("disabledReason").asText()).isEqualTo("410 Gone from " + URL + "gone at " + later);
        assertThat(disabled.get("headers").get("X-Api-Key").asText()).as("the disable keeps the customer's change").isEqualTo("new");
        assertThat(harness.meters.get("callhook.store.subscriptions.gone.disabled").counter().count()).isEqualTo(1.0);

        // Enabled again by the customer: an old 410 (its record read again) does not disable it anew.
        Answer enabled = call("PATCH", "/api/v1/subscriptions/" + id, accountToken(703), "{\"enabled\":true}");
        assertThat(enabled.status()).as(enabled.text()).isEqualTo(200);
        publish(gone(id, "msg_g3", later.plusMillis(1)));
        awaitCounted(id, 3);
        Thread.sleep(1500);
        assertThat(call("GET", "/api/v1/subscriptions/" + id, accountToken(703), null).body().get("enabled").asBoolean()).isTrue();
    }

    private static DeliveryAttempt gone(String subscriptionId, String webhookId, Instant at) {
        return DeliveryAttempt.newBuilder(attempt(subscriptionId, webhookId, at, AttemptOutcome.DISABLED, false)).setHttpStatus(410)
                .setErrorType("HTTP_410").setErrorMessage("410 Gone from " + URL + "gone").build();
    }

    private void awaitCounted(String id, int attempts) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode counters = call("GET", "/api/v1/subscriptions/" + id, StoreHarness.ADMIN, null).body();
            counters = counters == null ? null : counters.get("counters");
            return counters != null && !counters.isNull() && counters.get("sent").asLong() + counters.get("failed").asLong() >= attempts;
        });
    }

    private String create(long account, String path) {
        Answer created = call("POST", "/api/v1/subscriptions", accountToken(account),
                "{\"accountId\":" + account + ",\"product\":\"CALLKEEPER\",\"url\":\"" + URL + path + "\"}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.body().get("id").asText();
    }

    private Answer call(String method, String path, String token, String body) {
        try {
            return harness.call(store, method, path, token, body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void publish(DeliveryAttempt attempt) throws Exception {
        harness.publish(attempt);
    }

    private static DeliveryAttempt attempt(String subscriptionId, String webhookId, Instant at, AttemptOutcome outcome, boolean test) {
        return DeliveryAttempt.newBuilder().setAttemptId(webhookId + "/1").setWebhookId(webhookId).setSubscriptionId(subscriptionId)
                .setAccountId(1).setCallId(1).setPhase(CallPhase.ENDED).setAttemptNumber(1).setStartedAt(at).setLatencyMs(12)
                .setOutcome(outcome).setHttpStatus(outcome == AttemptOutcome.DELIVERED ? 200 : 503).setTest(test).build();
    }
}
