package io.callhook.store;

import static io.callhook.store.StoreHarness.accountToken;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.callhook.model.AttemptOutcome;
import io.callhook.model.CallPhase;
import io.callhook.model.DeliveryAttempt;
import io.callhook.net.AddressPolicy;
import io.callhook.store.app.StoreApp;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Two instances of the store share the counters' partitions; each holds only its own, yet a
 * request to either answers for every subscription (it asks the other for what it does not hold).
 */
@RealInfra
class TwoInstancesIT {

    private static final int SUBSCRIPTIONS = 12;

    @Test
    void eitherInstanceAnswersForAnySubscription(Infra infra) throws Exception {
        try (StoreHarness harness = new StoreHarness(infra, "two.");
             StoreApp first = harness.start("store-two-it", AddressPolicy.STRICT);
             StoreApp second = harness.start("store-two-it", AddressPolicy.STRICT);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()),
                     new StringSerializer(), new ByteArraySerializer())) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < SUBSCRIPTIONS; i++) {
                StoreApp via = i % 2 == 0 ? first : second;
                StoreHarness.Answer created = harness.call(via, "POST", "/api/v1/subscriptions", accountToken(200),
                        "{\"accountId\":200,\"product\":\"CALLKEEPER\",\"url\":\"https://crm.example.com/" + i + "\"}");
                assertThat(created.status()).as(created.text()).isEqualTo(201);
                ids.add(created.body().get("id").asText());
            }
            // Subscription i gets i delivered attempts.
            for (int i = 0; i < SUBSCRIPTIONS; i++) {
                for (int n = 1; n <= i; n++) {
                    DeliveryAttempt attempt = DeliveryAttempt.newBuilder().setAttemptId("msg_" + i + "_" + n + "/1")
                            .setWebhookId("msg_" + i + "_" + n).setSubscriptionId(ids.get(i)).setAccountId(200).setCallId(n)
                            .setPhase(CallPhase.ENDED).setAttemptNumber(1).setStartedAt(Instant.now()).setLatencyMs(5)
                            .setOutcome(AttemptOutcome.DELIVERED).setHttpStatus(200).build();
                    producer.send(new ProducerRecord<>(harness.names.attempts(), ids.get(i),
                            harness.topics.attempts().valueSerde().serializer().serialize(harness.names.attempts(), attempt)));
                }
            }
            producer.flush();

            // Each instance holds some of the counters, neither all: answering for all means asking the other.
            String idsJson = StoreHarness.JSON.writeValueAsString(Map.of("ids", ids));
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                int held = 0;
                for (StoreApp instance : List.of(first, second)) {
                    int own = harness.call(instance, "POST", "/internal/v1/stats", StoreHarness.INTERNAL, idsJson).body().get("stats").size();
                    if (own == 0 || own == SUBSCRIPTIONS) {
                        return false;
                    }
                    held += own;
                }
                return held == SUBSCRIPTIONS;
            });
            assertThat(harness.call(first, "POST", "/internal/v1/stats", accountToken(200), idsJson).status())
                    .as("the internal endpoint is not for accounts").isEqualTo(401);
            assertThat(harness.call(first, "POST", "/internal/v1/stats", StoreHarness.ADMIN, idsJson).status())
                    .as("nor for the admin: the instances have a credential of their own").isEqualTo(401);
            assertThat(harness.call(first, "GET", "/api/v1/subscriptions?accountId=200", StoreHarness.INTERNAL, null).status())
                    .as("and theirs opens only the internal endpoint").isEqualTo(401);

            for (StoreApp via : List.of(first, second)) {
                JsonNode list = Awaitility.await().atMost(Duration.ofSeconds(60)).until(
                        () -> harness.call(via, "GET", "/api/v1/subscriptions", accountToken(200), null).body().get("subscriptions"),
                        found -> found.size() == SUBSCRIPTIONS && allCounted(found, ids));
                for (JsonNode subscription : list) {
                    assertThat(subscription.get("counters").get("sent").asInt())
                            .isEqualTo(ids.indexOf(subscription.get("id").asText()));
                }
                for (int i = 0; i < SUBSCRIPTIONS; i++) {
                    JsonNode one = harness.call(via, "GET", "/api/v1/subscriptions/" + ids.get(i), accountToken(200), null).body();
                    assertThat(one.get("counters").get("sent").asInt()).isEqualTo(i);
                    JsonNode attempts = harness.call(via, "GET", "/api/v1/subscriptions/" + ids.get(i) + "/attempts",
                            accountToken(200), null).body().get("attempts");
                    assertThat(attempts).hasSize(i);
                }
            }
        }
    }

    private static boolean allCounted(JsonNode subscriptions, List<String> ids) {
        for (JsonNode subscription : subscriptions) {
            JsonNode counters = subscription.get("counters");
            if (counters == null || counters.isNull() || counters.get("sent").asInt() != ids.indexOf(subscription.get("id").asText())) {
                return false;
            }
        }
        return true;
    }
}
