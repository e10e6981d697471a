package io.callhook.bench;

import io.callhook.body.BodyOptions;
import io.callhook.body.EnrichedCall;
import io.callhook.body.Geo;
import io.callhook.body.RenderedWebhook;
import io.callhook.body.Validated;
import io.callhook.body.WebhookBody;
import io.callhook.body.WebhookBodyRenderer;
import io.callhook.demo.Traffic;
import io.callhook.enricher.fanout.WebhookRequests;
import io.callhook.model.CallEvent;
import io.callhook.model.Subscription;
import io.callhook.model.Utm;
import io.callhook.model.VisitSnapshot;
import io.callhook.model.WebhookRequest;
import io.callhook.topic.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatcher benchmark's topic contents, written once and read by every system with a
 * consumer group of its own: real {@link Subscription}s (with signing secrets, URLs on the
 * receiver) on the compacted subscriptions topic, and real {@link WebhookRequest}s on the
 * outbound topic, keyed by subscription id, in the registry's wire format, as the enricher
 * writes them (its body renderer, its webhook ids, LZ4 batches).
 *
 * @param subscriptions  the subscriptions, {@code sub-0000...}
 * @param records        requests on the outbound topic
 * @param bodyBytes      average body size
 * @param valueBytes     average size of a record's value (what the peers POST)
 * @param sampleBody     one rendered body (what the HTTP limit POSTs)
 */
record OutboundWorkload(List<Subscription> subscriptions, int records, int bodyBytes, int valueBytes, byte[] sampleBody) {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundWorkload.class);
    private static final Geo MOSCOW = new Geo("RU", "Москва", "Москва", "Центральный федеральный округ");

    /**
     * A visit that came from an ad, as most calls' visits do: the landing page with its UTM query
     * and click id, the analytics ids filled in. This gives bodies of about 1.5 KB, like the
     * golden files' callkeeper-ended.json.
     */
    private static VisitSnapshot fromAd(VisitSnapshot visit, int n) {
        Utm current = visit.getCurrent();
        String clickId = "EAIaIQobChMI" + Long.toString(0x5DEECE66DL * (n + 1) & Long.MAX_VALUE, 36) + "_BwE";
        return VisitSnapshot.newBuilder(visit)
                .setCurrentPage(visit.getCurrentPage() + "?utm_source=" + current.getUtmSource() + "&utm_medium="
                        + current.getUtmMedium() + "&utm_campaign=" + current.getUtmCampaign() + "&gclid=" + clickId)
                .setGaClid(clickId)
                .setRoistatVisit(Integer.toString(100_000 + n % 900_000))
                .build();
    }

    /**
     * Creates the outbound and subscriptions topics with {@code partitions} partitions and fills
     * them: {@code subscriptionCount} subscriptions posting to {@code urlPrefix + id}, and
     * {@code records} requests spread round-robin over them (calls of both products, both phases).
     */
    static OutboundWorkload write(String bootstrap, Topics topics, int subscriptionCount, int partitions, int records,
                                  String urlPrefix) throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topics.outbound().name(), partitions, (short) 1),
                    new NewTopic(topics.subscriptions().name(), partitions, (short) 1)
                            .configs(Map.of("cleanup.policy", "compact")))).all().get();
        }
        Instant now = Instant.now();
        List<Subscription> subscriptions = new ArrayList<>(subscriptionCount);
        List<BodyOptions> options = new ArrayList<>(subscriptionCount);
        for (int s = 0; s < subscriptionCount; s++) {
            String id = "sub-%04d".formatted(s);
            Subscription subscription = Traffic.subscription(id, 1 + s / 3, urlPrefix + id, now);
            subscriptions.add(subscription);
            options.add(((Validated.Valid<BodyOptions>) BodyOptions.validate(subscription)).value());
        }
        long started = System.nanoTime();
        long bodyTotal = 0;
        long valueTotal = 0;
        byte[] sample = null;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new StringSerializer(), new ByteArraySerializer())) {
            for (Subscription subscription : subscriptions) {
                producer.send(new ProducerRecord<>(topics.subscriptions().name(), subscription.getId(),
                        topics.subscriptions().valueSerde().serializer().serialize(topics.subscriptions().name(), subscription)));
            }
            Traffic traffic = new Traffic(11, Instant.parse("2026-11-23T09:00:00Z"));
            for (int i = 0; i < records; i++) {
                int s = i % subscriptionCount;
                Subscription subscription = subscriptions.get(s);
                CallEvent call = traffic.call(i / 2 + 1, subscription.getAccountId(), i % 2 == 1);
                RenderedWebhook rendered = WebhookBodyRenderer.render(WebhookBody.of(new EnrichedCall(call,
                        fromAd(traffic.visit(call.getVisitorId()), i), MOSCOW)), options.get(s), subscription.getUrl());
                WebhookRequest request = WebhookRequests.of(call, subscription.getId(), subscription.getHeaders(), options.get(s),
                        rendered, Instant.now());
                byte[] value = topics.outbound().valueSerde().serializer().serialize(topics.outbound().name(), request);
                producer.send(new ProducerRecord<>(topics.outbound().name(), subscription.getId(), value));
                bodyTotal += rendered.body().length;
                valueTotal += value.length;
                if (sample == null) {
                    sample = rendered.body();
                }
            }
        }
        OutboundWorkload workload = new OutboundWorkload(List.copyOf(subscriptions), records, (int) (bodyTotal / records),
                (int) (valueTotal / records), sample);
        LOG.info("Wrote {} subscriptions and {} webhook requests (bodies {} bytes, values {} bytes on average) in {} s",
                subscriptionCount, records, workload.bodyBytes(), workload.valueBytes(), (System.nanoTime() - started) / 1_000_000_000);
        return workload;
    }
}
