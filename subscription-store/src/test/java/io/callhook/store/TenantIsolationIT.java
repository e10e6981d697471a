package io.callhook.store;

import static io.callhook.store.StoreHarness.accountToken;
import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.net.AddressPolicy;
import io.callhook.store.StoreHarness.Answer;
import io.callhook.store.app.StoreApp;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tenant hammering what costs the store most (test calls, dead-letter replays) next to a
 * healthy tenant using the API: the healthy tenant's calls take about as long as when it is
 * alone, and the hostile tenant is told to slow down (429 with Retry-After).
 */
@RealInfra
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantIsolationIT {

    private static final Logger LOG = LoggerFactory.getLogger(TenantIsolationIT.class);
    private static final String URL = "https://crm.example.com/hooks/";
    private static final long HOSTILE = 501;
    private static final long HEALTHY = 502;
    /** Dead letters of other tenants on the topic: what a replay that scans the whole topic reads every time. */
    private static final int OTHER_DEAD_LETTERS = 40_000;
    private static final int HOSTILE_THREADS = 24;
    private static final int ROUNDS = 12;

    private StoreHarness harness;
    private StoreApp store;

    @BeforeAll
    void start(Infra infra) throws Exception {
        harness = new StoreHarness(infra, "tenants.");
        store = harness.start("store-tenants-it", AddressPolicy.STRICT, Map.of(
                "CALLHOOK_STORE_TEST_CALL_LIMIT", "5/1m",
                "CALLHOOK_STORE_REPLAY_LIMIT", "3/1m"));
    }

    @AfterAll
    void stop() throws Exception {
        store.close();
        harness.close();
    }

    @Test
    void aTenantHammeringTestsAndReplaysDoesNotSlowAnotherTenant() throws Exception {
        String hostile = create(HOSTILE, URL + "hostile");
        fillDeadLetters(hostile);

        healthyRounds("warm-up");
        List<Long> alone = healthyRounds("alone");
        AtomicBoolean attacking = new AtomicBoolean(true);
        AtomicInteger hostileCalls = new AtomicInteger();
        AtomicInteger limited = new AtomicInteger();
        ExecutorService attackers = Executors.newFixedThreadPool(HOSTILE_THREADS);
        List<Long> attacked;
        try {
            for (int i = 0; i < HOSTILE_THREADS; i++) {
                attackers.submit(() -> {
                    while (attacking.get()) {
                        for (Answer answer : List.of(
                                call("POST", "/api/v1/subscriptions/" + hostile + "/test", accountToken(HOSTILE), null),
                                call("POST", "/api/v1/dead-letters/replay", accountToken(HOSTILE),
                                        "{\"subscriptionId\":\"" + hostile + "\"}"))) {
                            hostileCalls.incrementAndGet();
                            if (answer.status() == 429 || answer.status() == 409) {
                                limited.incrementAndGet();
                            }
                        }
                        Thread.sleep(50);
                    }
                    return null;
                });
            }
            Thread.sleep(2000);
            attacked = healthyRounds("attacked");
        } finally {
            attacking.set(false);
            attackers.shutdown();
        }
        long aloneMedian = median(alone);
        long attackedMedian = median(attacked);
        LOG.info("Healthy tenant's round (create, get, list): median {} ms alone, {} ms next to the hostile tenant "
                + "({} hostile calls, {} refused)", aloneMedian, attackedMedian, hostileCalls.get(), limited.get());
        assertThat(attackedMedian).as("median round next to the hostile tenant (alone: %d ms)", aloneMedian)
                .isLessThanOrEqualTo(Math.max(3 * aloneMedian, aloneMedian + 300));
        assertThat(limited.get()).as("hostile calls refused with 409/429").isPositive();
    }

    @Test
    void testCallsAndReplaysAreLimitedPerAccountWith429AndRetryAfter() throws Exception {
        String limitedOne = create(503, URL + "limited");
        String other = create(504, URL + "other");
        for (int i = 0; i < 5; i++) {
            assertThat(call("POST", "/api/v1/subscriptions/" + limitedOne + "/test", accountToken(503), null).status()).isEqualTo(202);
        }

        Answer refused = call("POST", "/api/v1/subscriptions/" + limitedOne + "/test", accountToken(503), null);

        assertThat(refused.status()).as(refused.text()).isEqualTo(429);
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
        assertThat(refused.body().get("error").asText()).contains("test calls").contains("5 per 1m");
        assertThat(call("POST", "/api/v1/subscriptions/" + other + "/test", accountToken(504), null).status())
                .as("another account is not limited by it").isEqualTo(202);

        String replay = "{\"subscriptionId\":\"" + limitedOne + "\"}";
        for (int i = 0; i < 3; i++) {
            assertThat(call("POST", "/api/v1/dead-letters/replay", accountToken(503), replay).status()).isEqualTo(202);
        }
        Answer tooMany = call("POST", "/api/v1/dead-letters/replay", accountToken(503), replay);
        assertThat(tooMany.status()).as(tooMany.text()).isEqualTo(429);
        assertThat(tooMany.headers().firstValue("Retry-After")).isPresent();
        assertThat(tooMany.body().get("error").asText()).contains("replays");
    }

    /** Rounds of a healthy tenant's ordinary calls; each round's time in ms. */
    private List<Long> healthyRounds(String label) throws Exception {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            long started = System.nanoTime();
            String id = create(HEALTHY, URL + label + "/" + i);
            assertThat(call("GET", "/api/v1/subscriptions/" + id, accountToken(HEALTHY), null).status()).isEqualTo(200);
            assertThat(call("GET", "/api/v1/subscriptions", accountToken(HEALTHY), null).status()).isEqualTo(200);
            times.add((System.nanoTime() - started) / 1_000_000);
            assertThat(call("DELETE", "/api/v1/subscriptions/" + id, accountToken(HEALTHY), null).status()).isEqualTo(204);
        }
        LOG.info("Healthy rounds {}: {} ms", label, times);
        return times;
    }

    private void fillDeadLetters(String hostile) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, harness.infra.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 20),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 50; i++) {
                producer.send(new ProducerRecord<>(harness.names.deadLetters(), hostile, deadLetter(hostile, "msg_hostile_" + i)));
            }
            // Other tenants' letters: what a replay that scans the whole topic reads every time, the same bytes for speed.
            byte[] other = deadLetter("sub_other", "msg_other");
            for (int i = 0; i < OTHER_DEAD_LETTERS; i++) {
                producer.send(new ProducerRecord<>(harness.names.deadLetters(), "sub_other_" + (i % 997), other));
            }
            producer.flush();
        }
    }

    private byte[] deadLetter(String subscription, String webhookId) {
        return harness.topics.deadLetters().valueSerde().serializer().serialize(harness.names.deadLetters(),
                DeadLetterFixtures.retriesExhausted(subscription, HOSTILE, webhookId, URL));
    }

    private String create(long account, String url) throws Exception {
        Answer created = call("POST", "/api/v1/subscriptions", accountToken(account),
                "{\"accountId\":" + account + ",\"product\":\"CALLKEEPER\",\"url\":\"" + url + "\"}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.body().get("id").asText();
    }

    private Answer call(String method, String path, String token, String body) throws Exception {
        return harness.call(store, method, path, token, body);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
