package io.callhook.enricher;

import static io.callhook.enricher.Fixtures.call;
import static io.callhook.enricher.Fixtures.callKeeper;
import static io.callhook.enricher.Fixtures.callTracking;
import static io.callhook.enricher.Fixtures.visit;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callhook.deadletter.DeadLetterReason;
import io.callhook.enricher.app.EnricherConfig;
import io.callhook.enricher.app.StreamsSettings;
import io.callhook.service.kafka.KafkaSettings;
import io.callhook.service.kafka.TopicLayout;
import io.callhook.enricher.fanout.WebhookIds;
import io.callhook.enricher.geo.GeoDatabaseFile;
import io.callhook.testcall.TestCallSample;
import io.callhook.enricher.geo.GeoLookup;
import io.callhook.enricher.geo.GeoLookups;
import io.callhook.enricher.subscriptions.SubscriptionLimits;
import io.callhook.model.BodyFormat;
import io.callhook.model.CallEvent;
import io.callhook.model.CallPhase;
import io.callhook.model.DeadLetter;
import io.callhook.model.HttpMethod;
import io.callhook.model.Product;
import io.callhook.model.Subscription;
import io.callhook.model.VisitSnapshot;
import io.callhook.model.WebhookRequest;
import io.callhook.serde.InMemoryAvroSerdes;
import io.callhook.serde.RegistryConfig;
import io.callhook.subscription.SubscriptionRules;
import io.callhook.topic.TopicNames;
import io.callhook.topic.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The real topology and Streams settings on TopologyTestDriver, with the real GeoLite2 database and renderer. */
class EnricherTopologyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-23T09:15:31Z");
    private static GeoLookup geo;

    private final InMemoryAvroSerdes serdes = new InMemoryAvroSerdes();
    private final Topics shared = new Topics(TopicNames.DEFAULTS, serdes);
    private final EnricherTopics topics = EnricherTopics.of(shared, "enricher-test", serdes);
    private TopologyTestDriver driver;
    private TestInputTopic<String, CallEvent> calls;
    private TestInputTopic<String, VisitSnapshot> visits;
    private TestInputTopic<String, Subscription> subscriptions;
    private TestInputTopic<String, byte[]> rawCalls;
    private TestOutputTopic<String, WebhookRequest> outbound;
    private TestOutputTopic<String, DeadLetter> deadLetters;

    @BeforeAll
    static void openGeo() {
        geo = GeoLookups.open(Optional.of(GeoDatabaseFile.require()));
    }

    @AfterAll
    static void closeGeo() {
        geo.close();
    }

    @BeforeEach
    void start() {
        start(null, SubscriptionLimits.DEFAULTS);
    }

    void start(String guarantee) {
        start(guarantee, SubscriptionLimits.DEFAULTS);
    }

    /** Starts the driver on the real settings, optionally with another processing guarantee. */
    void start(String guarantee, SubscriptionLimits limits) {
        if (driver != null) {
            driver.close();
        }
        EnricherConfig config = new EnricherConfig(new KafkaSettings("unused:9092", new RegistryConfig("http://unused:8080", true),
                TopicNames.DEFAULTS, new TopicLayout(true, 1, (short) -1), Map.of()),
                "enricher-test", 1, Optional.empty(), Duration.ofMillis(100), Optional.empty(), "127.0.0.1", 0, limits, 16);
        Properties props = StreamsSettings.properties(config, shared.deadLetters().valueSerde().serializer());
        if (guarantee != null) {
            props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        }
        driver = new TopologyTestDriver(EnricherTopology.build(topics, new SubscriptionRules(url -> Optional.empty()),
                config.subscriptionLimits(), geo, Clock.fixed(NOW, ZoneOffset.UTC), new EnricherMetrics(new SimpleMeterRegistry())),
                props, NOW);
        calls = driver.createInputTopic(shared.callEvents().name(), Serdes.String().serializer(),
                shared.callEvents().valueSerde().serializer());
        rawCalls = driver.createInputTopic(shared.callEvents().name(), Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        visits = driver.createInputTopic(shared.visits().name(), Serdes.String().serializer(),
                shared.visits().valueSerde().serializer());
        subscriptions = driver.createInputTopic(shared.subscriptions().name(), Serdes.String().serializer(),
                shared.subscriptions().valueSerde().serializer());
        outbound = driver.createOutputTopic(shared.outbound().name(), Serdes.String().deserializer(),
                shared.outbound().valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(shared.deadLetters().name(), Serdes.String().deserializer(),
                shared.deadLetters().valueSerde().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void subscribe(Subscription subscription) {
        subscriptions.pipeInput(subscription.getId(), subscription);
    }

    private void publish(CallEvent event) {
        calls.pipeInput(Long.toString(event.getCallId()), event);
    }

    private static JsonNode json(WebhookRequest request) throws Exception {
        return JSON.readTree(request.getBody().array());
    }

    private List<WebhookRequest> sent() {
        return outbound.readValuesToList();
    }

    @Nested
    class VisitJoin {

        @Test
        void aKnownVisitFillsVisitInfo() throws Exception {
            subscribe(callKeeper("s1", 7).build());
            visits.pipeInput("visitor-100", visit("visitor-100", "yandex"));
            publish(call(100, 7, Product.CALLKEEPER, CallPhase.STARTED));

            JsonNode body = json(sent().get(0));
            assertThat(body.at("/visit_info/current/utm_source").asText()).isEqualTo("yandex");
            assertThat(body.at("/visit_info/session/pgs").asInt()).isEqualTo(4);
            assertThat(body.at("/visit_info/udata/uag").asText()).contains("Firefox");
            assertThat(body.get("ya_clientid").asText()).isEqualTo("1700000000123");
        }

        @Test
        void aCallWithoutVisitStillSendsWebhooksWithNullVisitFields() throws Exception {
            subscribe(callKeeper("s1", 7).build());
            publish(call(101, 7, Product.CALLKEEPER, CallPhase.STARTED));
            CallEvent noVisitor = CallEvent.newBuilder(call(102, 7, Product.CALLKEEPER, CallPhase.STARTED)).setVisitorId(null).build();
            publish(noVisitor);

            List<WebhookRequest> sent = sent();
            assertThat(sent).hasSize(2);
            for (WebhookRequest request : sent) {
                JsonNode body = json(request);
                assertThat(body.at("/visit_info/current/utm_source").isNull()).isTrue();
                assertThat(body.at("/visit_info/udata/vst").isNull()).isTrue();
                assertThat(body.get("ya_clientid").isNull()).isTrue();
            }
        }

        @Test
        void aVisitArrivingAfterTheCallStartReachesItsEnd() throws Exception {
            subscribe(callKeeper("s1", 7).build());
            publish(call(103, 7, Product.CALLKEEPER, CallPhase.STARTED));
            visits.pipeInput("visitor-103", visit("visitor-103", "vk"));
            publish(call(103, 7, Product.CALLKEEPER, CallPhase.ENDED));

            List<WebhookRequest> sent = sent();
            assertThat(json(sent.get(0)).at("/visit_info/current/utm_source").isNull()).isTrue();
            assertThat(json(sent.get(1)).at("/visit_info/current/utm_source").asText()).isEqualTo("vk");
        }

        @Test
        void theLatestVisitWins() throws Exception {
            subscribe(callKeeper("s1", 7).build());
            visits.pipeInput("visitor-104", visit("visitor-104", "first-source"));
            visits.pipeInput("visitor-104", visit("visitor-104", "latest-source"));
            publish(call(104, 7, Product.CALLKEEPER, CallPhase.STARTED));

            assertThat(json(sent().get(0)).at("/visit_info/current/utm_source").asText()).isEqualTo("latest-source");
        }
    }

    @Nested
    class Geo {

        @Test
        void aRussianIpWithARegionGetsItsFederalDistrict() throws Exception {
            subscribe(callKeeper("s1", 7).build());
            publish(call(200, 7, Product.CALLKEEPER, CallPhase.STARTED));

            JsonNode body = json(sent().get(0));
            assertThat(body.get("country").asText()).isEqualTo("RU");
            assertThat(body.get("city").asText()).isEqualTo("Москва");
            assertThat(body.get("region").asText()).isEqualTo("Москва");
            assertThat(body.get("district").asText()).isEqualTo("Центральный федеральный округ");
        }

        @Test
        void aRussianIpWithoutRegionHasNullDistrict() throws Exception {
            subscribe(callKeeper("s1", 7).build());
            publish(CallEvent.newBuilder(call(201, 7, Product.CALLKEEPER, CallPhase.STARTED))
                    .setClientIp(Fixtures.RUSSIAN_NO_REGION_IP).build());

            JsonNode body = json(sent().get(0));
            assertThat(body.get("country").asText()).isEqualTo("RU");
            assertThat(body.get("region").isNull()).isTrue();
            assertThat(body.get("district").isNull()).isTrue();
        }

        @Test
        void aForeignIpHasAnEmptyDistrict() throws Exception {
            subscribe(callKeeper("s1", 7).build());
            publish(CallEvent.newBuilder(call(202, 7, Product.CALLKEEPER, CallPhase.STARTED)).setClientIp(Fixtures.GERMAN_IP).build());

            JsonNode body = json(sent().get(0));
            assertThat(body.get("country").asText()).isEqualTo("DE");
            assertThat(body.get("district").asText()).isEmpty();
        }

        @Test
        void unknownAndMalformedIpsGiveNullGeo() throws Exception {
            subscribe(callKeeper("s1", 7).build());
            for (String ip : new String[] {"10.1.2.3", "not-an-ip", null}) {
                publish(CallEvent.newBuilder(call(203, 7, Product.CALLKEEPER, CallPhase.STARTED)).setClientIp(ip).build());
            }

            for (WebhookRequest request : sent()) {
                JsonNode body = json(request);
                for (String field : List.of("country", "region", "city", "district")) {
                    assertThat(body.get(field).isNull()).as(field).isTrue();
                }
            }
        }
    }

    @Nested
    class Rendering {

        @Test
        void renamedKeysAndFormBodyGoThroughTheRealRenderer() {
            subscribe(callTracking("ct", 7, CallPhase.ENDED).setFormat(BodyFormat.FORM)
                    .setRenames(Map.of("visit_info.udata.uag", "user_agent", "phone2", "client_phone"))
                    .setParams(Map.of("secret", "s3cr3t")).build());
            visits.pipeInput("visitor-300", visit("visitor-300", "yandex"));
            publish(call(300, 7, Product.CALLTRACKING, CallPhase.ENDED));

            WebhookRequest request = sent().get(0);
            assertThat(request.getContentType()).isEqualTo("application/x-www-form-urlencoded");
            String form = URLDecoder.decode(StandardCharsets.UTF_8.decode(request.getBody()).toString(), StandardCharsets.UTF_8);
            assertThat(form).contains("visit_info[udata][user_agent]=Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0")
                    .contains("&client_phone=+79161234567&").doesNotContain("phone2=").doesNotContain("[uag]")
                    .contains("visit_info[current][utm_source]=yandex")
                    .contains("&district=Центральный федеральный округ&")
                    .contains("&duration_min=2&").endsWith("&secret=s3cr3t");
        }

        @Test
        void getCarriesThePairsInTheQueryString() {
            subscribe(callTracking("ct", 7, CallPhase.STARTED).setMethod(HttpMethod.GET).build());
            publish(call(301, 7, Product.CALLTRACKING, CallPhase.STARTED));

            WebhookRequest request = sent().get(0);
            assertThat(request.getMethod()).isEqualTo(HttpMethod.GET);
            assertThat(request.getUrl()).startsWith("https://crm.example.com/hooks/ct?id=301&").contains("hook_event=Call+is+processing");
            // The pairs apart too: the dispatcher adds them to the subscription's URL as it is at each attempt.
            assertThat(request.getQuery()).startsWith("id=301&").contains("hook_event=Call+is+processing");
            assertThat(request.getUrl()).endsWith("?" + request.getQuery());
            assertThat(request.getBody().remaining()).isZero();
            assertThat(request.getContentType()).isNull();
        }

        @Test
        void theRequestCarriesWhatTheDispatcherNeeds() {
            subscribe(callKeeper("s1", 7).setHeaders(Map.of("X-Api-Key", "k")).build());
            CallEvent event = call(302, 7, Product.CALLKEEPER, CallPhase.STARTED);
            publish(event);

            KeyValue<String, WebhookRequest> record = outbound.readKeyValue();
            WebhookRequest request = record.value;
            assertThat(record.key).isEqualTo("s1");
            assertThat(request.getWebhookId()).isEqualTo(WebhookIds.of(event, "s1")).startsWith("msg_");
            assertThat(request.getSubscriptionId()).isEqualTo("s1");
            assertThat(request.getUrl()).isEqualTo("https://crm.example.com/hooks/s1");
            assertThat(request.getMethod()).isEqualTo(HttpMethod.POST);
            assertThat(request.getContentType()).isEqualTo("application/json");
            assertThat(request.getHeaders()).containsEntry("X-Api-Key", "k");
            assertThat(request.getEventTime()).isEqualTo(Fixtures.CALL_TIME);
            assertThat(request.getCreatedAt()).isEqualTo(NOW);
            assertThat(request.getAttempts()).isEmpty();
        }
    }

    @Nested
    class FanOutAndFilters {

        @Test
        void twoSubscriptionsOfTheAccountEachGetOneWebhookKeyedByTheirId() {
            subscribe(callKeeper("a", 7).build());
            subscribe(callKeeper("b", 7).build());
            subscribe(callKeeper("other-account", 8).build());
            publish(call(400, 7, Product.CALLKEEPER, CallPhase.STARTED));

            List<KeyValue<String, WebhookRequest>> sent = outbound.readKeyValuesToList();
            assertThat(sent).extracting(kv -> kv.key).containsExactlyInAnyOrder("a", "b");
            assertThat(sent).extracting(kv -> kv.value.getWebhookId()).doesNotHaveDuplicates();
        }

        @Test
        void productsAreSeparated() {
            subscribe(callKeeper("ck", 7).build());
            subscribe(callTracking("ct", 7, CallPhase.STARTED, CallPhase.ENDED).build());
            publish(call(401, 7, Product.CALLKEEPER, CallPhase.STARTED));
            publish(call(402, 7, Product.CALLTRACKING, CallPhase.STARTED));

            assertThat(outbound.readKeyValuesToList()).extracting(kv -> kv.key + ":" + kv.value.getCallId())
                    .containsExactly("ck:401", "ct:402");
        }

        @Test
        void callKeeperGetsStartAndEndWhileCalltrackingGetsItsChosenEvent() {
            subscribe(callKeeper("ck", 7).build());
            subscribe(callTracking("ct-end", 7, CallPhase.ENDED).build());
            subscribe(callTracking("ct-start", 8, CallPhase.STARTED).build());
            for (CallPhase phase : List.of(CallPhase.STARTED, CallPhase.ENDED)) {
                publish(call(403, 7, Product.CALLKEEPER, phase));
                publish(call(404, 7, Product.CALLTRACKING, phase));
                publish(call(405, 8, Product.CALLTRACKING, phase));
            }

            assertThat(outbound.readKeyValuesToList()).extracting(kv -> kv.key + ":" + kv.value.getPhase())
                    .containsExactly("ck:STARTED", "ct-start:STARTED", "ck:ENDED", "ct-end:ENDED");
        }

        @Test
        void disabledAndDeletedSubscriptionsGetNothing() {
            subscribe(callKeeper("disabled", 7).setEnabled(false).setDisabledReason("410 Gone").build());
            subscribe(callKeeper("deleted", 7).build());
            subscribe(callKeeper("kept", 7).build());
            subscriptions.pipeInput("deleted", (Subscription) null);
            publish(call(406, 7, Product.CALLKEEPER, CallPhase.STARTED));

            assertThat(outbound.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("kept");
        }

        @Test
        void anAccountWhoseLastSubscriptionIsDeletedGetsNothing() {
            subscribe(callKeeper("only", 7).build());
            subscriptions.pipeInput("only", (Subscription) null);
            publish(call(407, 7, Product.CALLKEEPER, CallPhase.STARTED));

            assertThat(sent()).isEmpty();
        }

        @Test
        void anUpdatedSubscriptionIsUsedAsUpdated() {
            subscribe(callTracking("ct", 7, CallPhase.STARTED).build());
            subscribe(callTracking("ct", 7, CallPhase.STARTED).setUrl("https://new.example.com/hook").build());
            publish(call(408, 7, Product.CALLTRACKING, CallPhase.STARTED));

            assertThat(sent()).extracting(WebhookRequest::getUrl).containsExactly("https://new.example.com/hook");
        }

        @Test
        void aTestCallGoesOnlyToItsTargetSubscription() {
            subscribe(callKeeper("a", 7).build());
            subscribe(callKeeper("b", 7).build());
            publish(CallEvent.newBuilder(call(409, 7, Product.CALLKEEPER, CallPhase.STARTED))
                    .setTest(true).setTargetSubscriptionId("b").build());

            List<KeyValue<String, WebhookRequest>> sent = outbound.readKeyValuesToList();
            assertThat(sent).extracting(kv -> kv.key).containsExactly("b");
            assertThat(sent.get(0).value.getTest()).isTrue();
        }

        @Test
        void aTestCallSentBeforeItsSubscriptionReachedTheTableIsHeldUntilItDoes() {
            publish(CallEvent.newBuilder(call(411, 7, Product.CALLKEEPER, CallPhase.STARTED))
                    .setTest(true).setTargetSubscriptionId("just-added").setOccurredAt(NOW).build());
            driver.advanceWallClockTime(Duration.ofSeconds(1));
            assertThat(outbound.isEmpty()).as("nothing to send to yet").isTrue();

            subscribe(callKeeper("just-added", 7).build());
            driver.advanceWallClockTime(Duration.ofSeconds(1));

            assertThat(outbound.readKeyValuesToList()).extracting(kv -> kv.key + ":" + kv.value.getCallId())
                    .containsExactly("just-added:411");
        }

        @Test
        void aTestCallForAnEventTheTablesVersionDoesNotTakeYetIsHeldUntilTheChangeArrives() {
            // The customer changes the events from ENDED to both and presses the test button at once:
            // the store sends STARTED, which the table's version of the subscription does not take yet.
            subscribe(callTracking("changed", 7, CallPhase.ENDED).build());
            publish(CallEvent.newBuilder(call(413, 7, Product.CALLTRACKING, CallPhase.STARTED))
                    .setTest(true).setTargetSubscriptionId("changed").setOccurredAt(NOW).build());
            driver.advanceWallClockTime(Duration.ofSeconds(1));
            assertThat(outbound.isEmpty()).as("held until the change reaches the table").isTrue();

            subscribe(callTracking("changed", 7, CallPhase.STARTED, CallPhase.ENDED).build());
            driver.advanceWallClockTime(Duration.ofSeconds(1));

            assertThat(outbound.readKeyValuesToList()).extracting(kv -> kv.key + ":" + kv.value.getPhase())
                    .containsExactly("changed:STARTED");
        }

        @Test
        void aTestCallForASubscriptionThatNeverAppearsIsDeadLetteredAfterAMinute() {
            publish(CallEvent.newBuilder(call(412, 7, Product.CALLKEEPER, CallPhase.STARTED))
                    .setTest(true).setTargetSubscriptionId("ghost").setOccurredAt(NOW).build());
            driver.advanceWallClockTime(Duration.ofSeconds(30));
            assertThat(deadLetters.isEmpty()).isTrue();

            driver.advanceWallClockTime(Duration.ofSeconds(31));

            DeadLetter letter = deadLetters.readValue();
            assertThat(letter.getReasonCode()).isEqualTo(DeadLetterReason.INVALID_RECORD.code());
            assertThat(letter.getReason()).contains("subscription ghost of account 7 still unknown, or not taking its STARTED event, after 60 s");
            assertThat(outbound.isEmpty()).isTrue();
        }

        @Test
        void theSameEventForTheSameSubscriptionAlwaysGetsTheSameWebhookId() {
            subscribe(callKeeper("s1", 7).build());
            CallEvent event = call(410, 7, Product.CALLKEEPER, CallPhase.ENDED);
            publish(event);
            publish(CallEvent.newBuilder(event).setEventId("republished-with-a-new-event-id").build());

            List<WebhookRequest> sent = sent();
            assertThat(sent).hasSize(2);
            assertThat(sent.get(0).getWebhookId()).isEqualTo(sent.get(1).getWebhookId());
        }
    }

    @Nested
    class Subscriptions {

        @Test
        void noSigningSecretReachesAnyTopicOfTheEnricherChangelogsIncluded() {
            subscribe(callKeeper("a", 7).build());
            subscribe(callTracking("b", 7, CallPhase.ENDED).setParams(Map.of("token", "t")).build());
            subscribe(callKeeper("moved", 7).build());
            subscribe(callKeeper("moved", 8).build());
            subscriptions.pipeInput("a", (Subscription) null);
            publish(CallEvent.newBuilder(call(600, 7, Product.CALLTRACKING, CallPhase.ENDED))
                    .setTest(true).setTargetSubscriptionId("later").build());
            publish(call(601, 8, Product.CALLKEEPER, CallPhase.STARTED));

            assertThat(driver.producedTopicNames()).contains("enricher-test.account-subscriptions",
                    "enricher-test-slim-subscriptions-by-account-repartition", "enricher-test-pending-test-calls-changelog");
            for (String topic : driver.producedTopicNames()) {
                TestOutputTopic<byte[], byte[]> raw = driver.createOutputTopic(topic, Serdes.ByteArray().deserializer(),
                        Serdes.ByteArray().deserializer());
                for (KeyValue<byte[], byte[]> record : raw.readKeyValuesToList()) {
                    assertThat(text(record.key) + text(record.value)).as(topic).doesNotContain("whsec_");
                }
            }
        }

        @Test
        void aSubscriptionLargerThanTheEnricherHoldsIsDeadLetteredNamingItAndGetsNothing() {
            start(null, new SubscriptionLimits(10, 4096));
            subscribe(callKeeper("large", 7).build());
            subscribe(callKeeper("large", 7).setParams(Map.of("pad", "x".repeat(5000))).build());
            subscribe(callKeeper("small", 7).build());
            publish(call(602, 7, Product.CALLKEEPER, CallPhase.STARTED));

            DeadLetter letter = deadLetters.readValue();
            assertThat(letter.getReasonCode()).isEqualTo(DeadLetterReason.SUBSCRIPTION_TOO_LARGE.code());
            assertThat(letter.getReason()).contains("subscription large of account 7").contains("more than the 4096");
            assertThat(letter.getSubscriptionId()).isEqualTo("large");
            assertThat(letter.getSource().getTopic()).isEqualTo("webhooks.subscriptions");
            assertThat(outbound.readKeyValuesToList()).extracting(kv -> kv.key)
                    .as("the earlier, smaller version is gone too").containsExactly("small");
        }

        @Test
        void aSubscriptionPastItsAccountsCapIsDeadLetteredNamingItAndHeldOnceThereIsRoom() {
            start(null, new SubscriptionLimits(2, SubscriptionLimits.DEFAULTS.maxBytes()));
            subscribe(callKeeper("s1", 7).build());
            subscribe(callKeeper("s2", 7).build());
            subscribe(callKeeper("s3", 7).build());
            subscribe(callKeeper("s2", 7).setUrl("https://crm.example.com/updated").build());
            subscribe(callKeeper("other-account", 8).build());
            publish(call(603, 7, Product.CALLKEEPER, CallPhase.STARTED));

            DeadLetter letter = deadLetters.readValue();
            assertThat(letter.getReasonCode()).isEqualTo(DeadLetterReason.TOO_MANY_SUBSCRIPTIONS.code());
            assertThat(letter.getReason()).contains("subscription s3 of account 7").contains("already has 2 subscriptions");
            assertThat(letter.getSubscriptionId()).isEqualTo("s3");
            assertThat(letter.getAccountId()).isEqualTo(7L);
            assertThat(deadLetters.isEmpty()).as("an update of a held subscription is not refused").isTrue();
            assertThat(outbound.readKeyValuesToList()).extracting(kv -> kv.key + ":" + kv.value.getUrl())
                    .containsExactly("s1:https://crm.example.com/hooks/s1", "s2:https://crm.example.com/updated");

            subscriptions.pipeInput("s1", (Subscription) null);
            subscribe(callKeeper("s3", 7).build());
            publish(call(604, 7, Product.CALLKEEPER, CallPhase.STARTED));
            assertThat(outbound.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("s2", "s3");
        }

        @Test
        void callsSeeEveryChangeToTheirAccountsSubscriptionsOnceItIsInTheTable() {
            // Each call between the changes reads the account's subscriptions through the cache.
            subscribe(callKeeper("s1", 7).build());
            subscribe(callKeeper("s2", 7).build());
            publish(call(610, 7, Product.CALLKEEPER, CallPhase.STARTED));
            subscribe(callKeeper("s1", 7).setUrl("https://crm.example.com/changed").build());
            publish(call(611, 7, Product.CALLKEEPER, CallPhase.STARTED));
            subscribe(callKeeper("s1", 7).setUrl("https://crm.example.com/changed").setEnabled(false).build());
            publish(call(612, 7, Product.CALLKEEPER, CallPhase.STARTED));
            subscriptions.pipeInput("s2", (Subscription) null);
            publish(call(613, 7, Product.CALLKEEPER, CallPhase.STARTED));
            subscribe(callKeeper("s1", 7).setUrl("https://crm.example.com/changed").setEnabled(true).build());
            publish(call(614, 7, Product.CALLKEEPER, CallPhase.STARTED));

            assertThat(outbound.readKeyValuesToList()).extracting(kv -> kv.value.getCallId() + ":" + kv.value.getUrl())
                    .containsExactly(
                            "610:https://crm.example.com/hooks/s1", "610:https://crm.example.com/hooks/s2",
                            "611:https://crm.example.com/changed", "611:https://crm.example.com/hooks/s2",
                            "612:https://crm.example.com/hooks/s2",
                            "614:https://crm.example.com/changed");
        }

        @Test
        void aSubscriptionMovedToAnotherAccountLeavesTheFirst() {
            subscribe(callKeeper("moving", 7).build());
            subscribe(callKeeper("moving", 8).build());
            publish(call(605, 7, Product.CALLKEEPER, CallPhase.STARTED));
            publish(call(606, 8, Product.CALLKEEPER, CallPhase.STARTED));

            assertThat(outbound.readKeyValuesToList()).extracting(kv -> kv.key + ":" + kv.value.getCallId())
                    .containsExactly("moving:606");
        }

        private static String text(byte[] bytes) {
            return bytes == null ? "" : new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    @Nested
    class TestCalls {

        private CallEvent testCall(long callId, CallPhase phase, String target) {
            return CallEvent.newBuilder(call(callId, 7, Product.CALLKEEPER, phase))
                    .setEventId("test-" + callId + "-" + phase).setTest(true).setTargetSubscriptionId(target)
                    .setOccurredAt(NOW).build();
        }

        @Test
        void heldEventsOfATestCallAreReleasedStartedBeforeEnded() {
            publish(testCall(700, CallPhase.STARTED, "just-added"));
            publish(testCall(700, CallPhase.ENDED, "just-added"));
            driver.advanceWallClockTime(Duration.ofSeconds(1));
            assertThat(outbound.isEmpty()).isTrue();

            subscribe(callKeeper("just-added", 7).build());
            driver.advanceWallClockTime(Duration.ofSeconds(1));

            assertThat(sent()).extracting(WebhookRequest::getPhase).containsExactly(CallPhase.STARTED, CallPhase.ENDED);
        }

        @Test
        void anEventForATargetKnownMeanwhileWaitsBehindTheHeldEventsOfThatTarget() {
            publish(testCall(701, CallPhase.STARTED, "just-added"));
            subscribe(callKeeper("just-added", 7).build());
            publish(testCall(701, CallPhase.ENDED, "just-added"));
            driver.advanceWallClockTime(Duration.ofSeconds(1));

            assertThat(sent()).extracting(WebhookRequest::getPhase).containsExactly(CallPhase.STARTED, CallPhase.ENDED);
        }

        @Test
        void aTestCallToADisabledSubscriptionIsRenderedAndDeadLetteredToBeReplayedOnceEnabled() throws Exception {
            subscribe(callKeeper("off", 7).setEnabled(false).setDisabledReason("410 Gone").build());
            publish(testCall(702, CallPhase.STARTED, "off"));
            publish(testCall(702, CallPhase.ENDED, "off"));

            assertThat(outbound.isEmpty()).isTrue();
            List<KeyValue<String, DeadLetter>> letters = deadLetters.readKeyValuesToList();
            assertThat(letters).extracting(kv -> kv.key).containsExactly("off", "off");
            for (KeyValue<String, DeadLetter> letter : letters) {
                assertThat(letter.value.getReasonCode()).isEqualTo(DeadLetterReason.SUBSCRIPTION_DISABLED.code());
                assertThat(letter.value.getReason()).contains("subscription off").contains("disabled");
                assertThat(letter.value.getSubscriptionId()).isEqualTo("off");
                assertThat(letter.value.getAccountId()).isEqualTo(7L);
                assertThat(letter.value.getSource().getTopic()).isEqualTo("calls.events");
                WebhookRequest request = letter.value.getRequest();
                assertThat(request.getTest()).isTrue();
                assertThat(json(request).get("id").asLong()).isEqualTo(702);
            }
            assertThat(letters).extracting(kv -> kv.value.getRequest().getPhase())
                    .containsExactly(CallPhase.STARTED, CallPhase.ENDED);
        }

        @Test
        void theStoresSampleTestCallRendersWithAVisitGeoAndDistrictAndOnlyTheChosenEvents() throws Exception {
            Subscription ended = callTracking("ct-ended", 7, CallPhase.ENDED).build();
            subscribe(ended);
            List<CallPhase> phases = TestCallSample.phases(ended);
            assertThat(phases).containsExactly(CallPhase.ENDED);
            phases.forEach(phase -> publish(TestCallSample.event(ended, 704, phase, NOW)));

            List<WebhookRequest> sent = sent();
            assertThat(sent).hasSize(1);
            assertThat(sent.get(0).getTest()).isTrue();
            JsonNode body = json(sent.get(0));
            assertThat(body.at("/visit_info/current/utm_source").asText()).isEqualTo("yandex");
            assertThat(body.at("/visit_info/first/utm_source").asText()).isEqualTo("google");
            assertThat(body.at("/visit_info/session/pgs").asInt()).isEqualTo(4);
            assertThat(body.at("/visit_info/udata/uag").asText()).contains("Chrome");
            assertThat(body.get("ip").asText()).isEqualTo(TestCallSample.CLIENT_IP);
            assertThat(body.get("country").asText()).isEqualTo("RU");
            assertThat(body.get("city").asText()).isNotBlank();
            assertThat(body.get("district").asText()).isEqualTo("Центральный федеральный округ");
            assertThat(body.get("duration_sec").asInt()).isPositive();
            assertThat(body.get("phone2").asText()).startsWith("+7");
            assertThat(body.get("event_source").asText()).isEqualTo("test");
        }

        @Test
        void aTestCallWhoseVisitorHasARealVisitShowsThatVisit() throws Exception {
            Subscription keeper = callKeeper("ck", 7).build();
            subscribe(keeper);
            visits.pipeInput(TestCallSample.visitorId(7), visit(TestCallSample.visitorId(7), "from-the-topic"));
            publish(TestCallSample.event(keeper, 705, CallPhase.STARTED, NOW));

            assertThat(json(sent().get(0)).at("/visit_info/current/utm_source").asText()).isEqualTo("from-the-topic");
        }

        @Test
        void anOrdinaryCallToADisabledSubscriptionLeavesNothing() {
            subscribe(callKeeper("off", 7).setEnabled(false).build());
            publish(call(703, 7, Product.CALLKEEPER, CallPhase.STARTED));

            assertThat(outbound.isEmpty()).isTrue();
            assertThat(deadLetters.isEmpty()).isTrue();
        }
    }

    @Nested
    class BadRecords {

        @Test
        void anUndecodableCallIsDeadLetteredWithItsBytesAndTheStreamGoesOn() {
            // TopologyTestDriver's exactly-once emulation drops what the deserialization handler
            // sends (its MockProducer transaction never sees it); at-least-once shows it. The
            // real broker with exactly_once_v2 is checked by EnricherDeadLetterIT.
            start(StreamsConfig.AT_LEAST_ONCE);
            subscribe(callKeeper("s1", 7).build());
            byte[] poison = "definitely not avro".getBytes(StandardCharsets.UTF_8);
            rawCalls.pipeInput("500", poison);
            publish(call(501, 7, Product.CALLKEEPER, CallPhase.STARTED));

            List<DeadLetter> letters = deadLetters.readValuesToList();
            assertThat(letters).hasSize(1);
            DeadLetter letter = letters.get(0);
            assertThat(letter.getReasonCode()).isEqualTo(DeadLetterReason.UNDECODABLE.code());
            assertThat(letter.getSource().getTopic()).isEqualTo("calls.events");
            assertThat(letter.getSource().getOffset()).isZero();
            assertThat(letter.getRawValue().array()).isEqualTo(poison);
            assertThat(sent()).extracting(WebhookRequest::getCallId).containsExactly(501L);
        }

        @Test
        void aSubscriptionWithAMalformedUrlFromAnotherProducerIsDeadLetteredAndNotUsed() {
            subscribe(callKeeper("bad", 7).setUrl("ftp://files.example.com/x").build());
            subscribe(callKeeper("good", 7).build());
            publish(call(502, 7, Product.CALLKEEPER, CallPhase.STARTED));

            DeadLetter letter = deadLetters.readValue();
            assertThat(letter.getReasonCode()).isEqualTo(DeadLetterReason.INVALID_RECORD.code());
            assertThat(letter.getReason()).contains("url:");
            assertThat(letter.getSource().getTopic()).isEqualTo("webhooks.subscriptions");
            assertThat(outbound.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("good");
        }

        @Test
        void anInvalidCallEventIsDeadLetteredNamingTheField() {
            subscribe(callKeeper("s1", 7).build());
            publish(CallEvent.newBuilder(call(503, 7, Product.CALLKEEPER, CallPhase.STARTED)).setAccountId(0).build());

            DeadLetter letter = deadLetters.readValue();
            assertThat(letter.getReasonCode()).isEqualTo(DeadLetterReason.INVALID_RECORD.code());
            assertThat(letter.getReason()).contains("accountId: 0");
            assertThat(sent()).isEmpty();
        }

        @Test
        void aVisitFiledUnderAnotherKeyIsDeadLetteredAndNotJoined() throws Exception {
            subscribe(callKeeper("s1", 7).build());
            visits.pipeInput("visitor-504", visit("someone-else", "spoofed"));
            publish(call(504, 7, Product.CALLKEEPER, CallPhase.STARTED));

            assertThat(deadLetters.readValue().getReason()).contains("visitorId");
            assertThat(json(sent().get(0)).at("/visit_info/current/utm_source").isNull()).isTrue();
        }

        @Test
        void aCallEventWithoutValueIsDeadLettered() {
            calls.pipeInput("505", (CallEvent) null);

            assertThat(deadLetters.readValue().getReason()).contains("no value");
        }
    }
}
