package io.callhook.enricher;

import static io.callhook.enricher.Fixtures.call;
import static io.callhook.enricher.Fixtures.callKeeper;
import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.enricher.app.EnricherApp;
import io.callhook.enricher.app.EnricherConfig;
import io.callhook.enricher.geo.GeoLookups;
import io.callhook.model.CallEvent;
import io.callhook.model.CallPhase;
import io.callhook.model.Product;
import io.callhook.model.Subscription;
import io.callhook.model.WebhookRequest;
import io.callhook.serde.AvroSerdes;
import io.callhook.serde.RegistryConfig;
import io.callhook.service.kafka.KafkaSettings;
import io.callhook.service.kafka.TopicLayout;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import io.callhook.testkit.ScratchDirs;
import io.callhook.testkit.TopicTail;
import io.callhook.topic.TopicNames;
import io.callhook.topic.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * A hostile tenant next to a healthy one (issue 9, item 5): one account with 30 subscriptions of
 * about 60 KiB each, written straight to the subscriptions topic (1.8 MB together, past the
 * broker's 1 MiB message limit), must not stop the enricher. Before, the enricher kept an
 * account's subscriptions in one record; writing it failed, the stream thread died and was
 * replaced every 2 s, and the other accounts' calls waited behind it.
 */
@RealInfra
class EnricherLargeAccountIT {

    private static final long HOSTILE = 1;
    private static final long HEALTHY = 2;
    private static final int HOSTILE_SUBSCRIPTIONS = 30;
    private static final int PADDING_HEADERS = 15;

    @Test
    void anAccountWithThirtySixtyKibSubscriptionsDoesNotStopTheOthers(Infra infra) throws Exception {
        TopicNames names = TopicNames.DEFAULTS.withPrefix("large.");
        EnricherConfig config = new EnricherConfig(new KafkaSettings(infra.bootstrapServers(),
                new RegistryConfig(infra.registryBaseUrl(), true), names, new TopicLayout(true, 2, (short) -1), Map.of()),
                "enricher-large-it", 2, Optional.of(ScratchDirs.create("enricher-large")), Duration.ofMillis(100),
                Optional.empty(), "127.0.0.1", 0);
        AvroSerdes serdes = new AvroSerdes(config.registry());
        Topics topics = new Topics(names, serdes);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        try (EnricherApp app = EnricherApp.start(config, GeoLookups.open(Optional.empty()), url -> Optional.empty(), registry);
             TopicTail<String, WebhookRequest> outbound = new TopicTail<>(infra.bootstrapServers(), names.outbound(),
                     new StringDeserializer(), topics.outbound().valueSerde().deserializer());
             KafkaProducer<String, Subscription> subscriptions = producer(infra, topics.subscriptions().valueSerde().serializer());
             KafkaProducer<String, CallEvent> calls = producer(infra, topics.callEvents().valueSerde().serializer())) {
            for (int i = 1; i <= HOSTILE_SUBSCRIPTIONS; i++) {
                Subscription large = sixtyKib(callKeeper(String.format("hostile-%02d", i), HOSTILE)).build();
                subscriptions.send(new ProducerRecord<>(names.subscriptions(), large.getId(), large));
            }
            Subscription healthy = callKeeper("healthy", HEALTHY).build();
            subscriptions.send(new ProducerRecord<>(names.subscriptions(), healthy.getId(), healthy));
            subscriptions.flush();

            // Probe until the healthy subscription is in the enricher's table.
            long probe = 1_000;
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (webhooksFor(outbound, "healthy") == 0 && System.nanoTime() < deadline) {
                publish(calls, names, call(probe++, HEALTHY, Product.CALLKEEPER, CallPhase.STARTED));
                Thread.sleep(500);
            }
            assertThat(webhooksFor(outbound, "healthy")).as("webhooks of the healthy account within 90 s").isPositive();
            int before = webhooksFor(outbound, "healthy");

            for (long id = 1; id <= 20; id++) {
                publish(calls, names, call(id, HEALTHY, Product.CALLKEEPER, CallPhase.STARTED));
                publish(calls, names, call(id, HEALTHY, Product.CALLKEEPER, CallPhase.ENDED));
            }
            outbound.awaitUntil(read -> webhooksFor(read, "healthy") >= before + 40, Duration.ofSeconds(60));

            // The large account's subscriptions sit on both partitions of the subscriptions topic, so
            // the healthy one being known says nothing about all 30 being known: a call enriched
            // while some are still on their way rightly gets fewer webhooks. Probe until one call
            // gets all of them (it failed CI when a single call was sent too early).
            long hostileProbe = 500;
            deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            long complete = -1;
            while (complete < 0 && System.nanoTime() < deadline) {
                publish(calls, names, call(hostileProbe++, HOSTILE, Product.CALLKEEPER, CallPhase.STARTED));
                Thread.sleep(500);
                complete = callWithWebhooks(outbound.records(), HOSTILE_SUBSCRIPTIONS);
            }
            assertThat(complete).as("a call of the large account with %d webhooks within 90 s", HOSTILE_SUBSCRIPTIONS)
                    .isNotNegative();
            long completeCall = complete;
            assertThat(outbound.records().stream().filter(r -> r.value().getCallId() == completeCall)
                    .map(ConsumerRecord::key).distinct())
                    .as("each of the large account's subscriptions got its webhook").hasSize(HOSTILE_SUBSCRIPTIONS);

            Counter replaced = registry.find("callhook.enricher.stream.thread.replacements").counter();
            assertThat(replaced).as("the replacement counter is registered").isNotNull();
            assertThat(replaced.count()).as("stream threads replaced after a failure").isZero();
            assertThat(app.state()).isIn(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
        }
    }

    /** 60 KiB of static headers and parameters, within the per-header limits of the rules. */
    private static Subscription.Builder sixtyKib(Subscription.Builder subscription) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < PADDING_HEADERS; i++) {
            headers.put(String.format("X-Pad-%02d", i), "h".repeat(4000));
        }
        return subscription.setHeaders(headers).setParams(Map.of("pad", "p".repeat(60 * 1024 - PADDING_HEADERS * 4000)));
    }

    /** A call id of the large account with at least {@code count} webhooks, or -1. */
    private static long callWithWebhooks(List<ConsumerRecord<String, WebhookRequest>> read, int count) {
        return read.stream().filter(r -> r.key().startsWith("hostile-"))
                .collect(Collectors.groupingBy(r -> r.value().getCallId(), Collectors.counting()))
                .entrySet().stream().filter(e -> e.getValue() >= count).mapToLong(Map.Entry::getKey).findFirst().orElse(-1);
    }

    private static int webhooksFor(TopicTail<String, WebhookRequest> outbound, String subscriptionId) {
        return webhooksFor(outbound.records(), subscriptionId);
    }

    private static int webhooksFor(List<ConsumerRecord<String, WebhookRequest>> read, String subscriptionId) {
        return (int) read.stream().filter(r -> r.key().equals(subscriptionId)).count();
    }

    private static void publish(KafkaProducer<String, CallEvent> calls, TopicNames names, CallEvent event) {
        calls.send(new ProducerRecord<>(names.callEvents(), Long.toString(event.getCallId()), event));
        calls.flush();
    }

    private static <V> KafkaProducer<String, V> producer(Infra infra, org.apache.kafka.common.serialization.Serializer<V> values) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new StringSerializer(), values);
    }
}
