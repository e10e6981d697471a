package io.callhook.store;

import static io.callhook.store.StoreHarness.accountToken;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.callhook.launch.ChildProcess;
import io.callhook.launch.RegistryProcess;
import io.callhook.model.AttemptOutcome;
import io.callhook.model.CallPhase;
import io.callhook.model.DeliveryAttempt;
import io.callhook.net.AddressPolicy;
import io.callhook.store.StoreHarness.Answer;
import io.callhook.store.app.StoreApp;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's counters when the schema registry goes away: attempts that arrive meanwhile are
 * neither skipped nor dead-lettered; the counters wait, readiness says so, and once the registry
 * is back every attempt is counted. The registry here is one of the test's own (the shared one
 * serves every other test of this JVM and is never stopped).
 */
@RealInfra
class RegistryOutageIT {

    private static final int ATTEMPTS = 20;

    @Test
    void attemptsWrittenDuringARegistryOutageAreCountedOnceItIsBackAndReadinessIsDownMeanwhile(Infra shared, @TempDir Path dir)
            throws Exception {
        int port = ChildProcess.freePort();
        RegistryProcess[] registry = {RegistryProcess.start(dir.resolve("registry"), dir.resolve("registry.log"), port)};
        try (StoreHarness harness = new StoreHarness(new Infra(shared.bootstrapServers(), registry[0].baseUrl()), "outage.");
             StoreApp store = harness.start("store-outage-it", AddressPolicy.STRICT)) {
            Answer created = harness.call(store, "POST", "/api/v1/subscriptions", accountToken(601),
                    "{\"accountId\":601,\"product\":\"CALLKEEPER\",\"url\":\"https://crm.example.com/outage\"}");
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            String id = created.body().get("id").asText();
            // Encoded while the registry is up: the attempts' schema is registered, the store has never read it.
            List<byte[]> attempts = new ArrayList<>();
            for (int n = 1; n <= ATTEMPTS; n++) {
                attempts.add(harness.topics.attempts().valueSerde().serializer().serialize(harness.names.attempts(), delivered(id, n)));
            }

            registry[0].close();
            for (byte[] attempt : attempts) {
                harness.publish(harness.names.attempts(), id, attempt);
            }

            Awaitility.await("readiness DOWN while the registry is away").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100)).until(() -> !store.readiness().isUp());
            long downUntil = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            while (System.nanoTime() < downUntil) {
                assertThat(store.readiness().isUp()).as("readiness stays DOWN while the registry is away").isFalse();
                Thread.sleep(100);
            }

            registry[0] = RegistryProcess.start(dir.resolve("registry"), dir.resolve("registry.log"), port);
            JsonNode counters = Awaitility.await("every attempt counted").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> harness.call(store, "GET", "/api/v1/subscriptions/" + id, accountToken(601), null).body().get("counters"),
                            found -> found != null && !found.isNull() && found.get("sent").asLong() >= ATTEMPTS);
            assertThat(counters.get("sent").asLong()).isEqualTo(ATTEMPTS);
            Awaitility.await("readiness UP again").atMost(Duration.ofSeconds(60)).until(() -> store.readiness().isUp());
        } finally {
            registry[0].close();
        }
    }

    private static DeliveryAttempt delivered(String subscriptionId, int n) {
        return DeliveryAttempt.newBuilder().setAttemptId("msg_outage_" + n + "/1").setWebhookId("msg_outage_" + n)
                .setSubscriptionId(subscriptionId).setAccountId(601).setCallId(n).setPhase(CallPhase.ENDED).setAttemptNumber(1)
                .setStartedAt(Instant.now()).setLatencyMs(5).setOutcome(AttemptOutcome.DELIVERED).setHttpStatus(200).build();
    }
}
