package io.callhook.enricher;

import io.callhook.enricher.check.CallEventRule;
import io.callhook.enricher.check.CheckProcessor;
import io.callhook.enricher.check.Checked;
import io.callhook.enricher.check.RecordCheck;
import io.callhook.enricher.check.RecordRule;
import io.callhook.enricher.check.VisitRule;
import io.callhook.enricher.deadletter.DeadLetters;
import io.callhook.enricher.fanout.CallEnricher;
import io.callhook.enricher.fanout.FanOut;
import io.callhook.enricher.geo.GeoLookup;
import io.callhook.enricher.subscriptions.AccountPartitioner;
import io.callhook.enricher.subscriptions.AccountSubscriptionCap;
import io.callhook.enricher.subscriptions.AccountSubscriptionsCache;
import io.callhook.enricher.subscriptions.AccountSubscriptionsUpdater;
import io.callhook.enricher.subscriptions.SubscriptionLimits;
import io.callhook.enricher.subscriptions.SubscriptionSlimmer;
import io.callhook.model.AccountSubscription;
import io.callhook.model.CallEvent;
import io.callhook.model.DeadLetter;
import io.callhook.model.Subscription;
import io.callhook.model.VisitSnapshot;
import io.callhook.model.WebhookRequest;
import io.callhook.subscription.SubscriptionRules;
import io.callhook.topic.Topic;
import io.callhook.topic.Topics;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The enricher's topology: every call event becomes one rendered webhook per matching
 * subscription. Reads and writes (see {@link EnricherTopics}):
 *
 * <pre>
 * webhooks.subscriptions ─check─► slim (no secrets, size cap), key account|id ─► repartition by account
 *     ─► cap per account ─► &lt;app&gt;.account-subscriptions ─► global store, read by account prefix
 * visits ────────────────check─► &lt;app&gt;.visits-valid ─► global table
 * calls.events ─► check, hold test calls until their target is known, match the account's subscriptions,
 *                 ⋈ latest visit, geo, render (one processor) ─► webhooks.outbound
 *               (every check, refused subscriptions, tests to disabled ones) ─► webhooks.dead-letter
 * </pre>
 *
 * Both lookups are global, so call events need no repartitioning: the hot path is one read and
 * one transactional write. Subscriptions and visits reach the global stores only through topics
 * the enricher writes after checking them, so a malformed record is dead-lettered once instead of
 * being loaded into every instance's store. Each subscription is its own record, without its
 * signing secrets: no record grows with the number of an account's subscriptions, and no secret
 * is copied into the enricher's topics and stores.
 *
 * <p>The two halves run as two Kafka Streams applications ({@link #tables} and {@link #calls}):
 * within one application Kafka Streams balances a thread's tasks by count, not by what they carry,
 * and after a restart it gave one stream thread every call task and the other the idle table
 * tasks (half the enricher's rate). With the calls alone in their application, every stream
 * thread gets its share of call partitions. {@link #build} puts both halves in one topology for
 * the topology tests, where the test driver carries the tables' output topics to the global
 * stores as the broker does between the two applications.
 */
public final class EnricherTopology {

    /** Global store of {@link AccountSubscription}s by {@code accountId|subscriptionId}. */
    static final String ACCOUNT_SUBSCRIPTIONS_STORE = "account-subscriptions";
    /** Subscription id → account id, so that deletions and moves find the key to remove. */
    static final String SUBSCRIPTION_ACCOUNT_STORE = "subscription-account";
    /** The subscriptions held per account, for the cap. */
    static final String HELD_SUBSCRIPTIONS_STORE = "held-subscriptions";
    static final String BY_ACCOUNT_REPARTITION = "slim-subscriptions-by-account";
    public static final String VISITS_STORE = "visits";
    static final String PENDING_TEST_CALLS_STORE = "pending-test-calls";

    private EnricherTopology() {
    }

    /**
     * The value schema of every topic this topology writes in Avro, Kafka Streams' internal topics
     * included (their names follow from the store and repartition names above), for registration
     * at start. The changelogs of the subscription-account and held-subscriptions stores are plain
     * longs and integers.
     */
    public static Map<String, Schema> writtenSchemas(EnricherTopics topics, String applicationId) {
        Map<String, Schema> schemas = new LinkedHashMap<>();
        schemas.put(topics.shared().outbound().name(), WebhookRequest.getClassSchema());
        schemas.put(topics.shared().deadLetters().name(), DeadLetter.getClassSchema());
        schemas.put(topics.validVisits().name(), VisitSnapshot.getClassSchema());
        schemas.put(topics.accountSubscriptions().name(), AccountSubscription.getClassSchema());
        schemas.put(tablesApplicationId(applicationId) + "-" + BY_ACCOUNT_REPARTITION + "-repartition",
                AccountSubscription.getClassSchema());
        schemas.put(applicationId + "-" + PENDING_TEST_CALLS_STORE + "-changelog", CallEvent.getClassSchema());
        return schemas;
    }

    /** The application id of the tables half of the enricher whose calls half is {@code applicationId}. */
    public static String tablesApplicationId(String applicationId) {
        return applicationId + "-tables";
    }

    /** Subscriptions to {@code <app>.account-subscriptions} and visits to {@code <app>.visits-valid}, checked. */
    public static Topology tables(EnricherTopics topics, SubscriptionRules subscriptionRules, SubscriptionLimits limits,
                                  Clock clock, EnricherMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        addTables(builder, topics, subscriptionRules, limits, new DeadLetters(clock), metrics);
        return builder.build();
    }

    /** Calls to webhooks, reading the tables' topics as global stores. */
    public static Topology calls(EnricherTopics topics, GeoLookup geo, Clock clock, EnricherMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        addCalls(builder, topics, geo, new DeadLetters(clock), clock, metrics);
        return builder.build();
    }

    /** Both halves in one topology, for the topology tests. */
    public static Topology build(EnricherTopics topics, SubscriptionRules subscriptionRules, SubscriptionLimits limits,
                                 GeoLookup geo, Clock clock, EnricherMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        DeadLetters deadLetters = new DeadLetters(clock);
        addTables(builder, topics, subscriptionRules, limits, deadLetters, metrics);
        addCalls(builder, topics, geo, deadLetters, clock, metrics);
        return builder.build();
    }

    private static void addTables(StreamsBuilder builder, EnricherTopics topics, SubscriptionRules subscriptionRules,
                                  SubscriptionLimits limits, DeadLetters deadLetters, EnricherMetrics metrics) {
        Topics shared = topics.shared();
        accountSubscriptions(builder, topics, checked(builder, shared.subscriptions(), subscriptionRules::check,
                true, deadLetters, shared, metrics), limits, deadLetters, metrics);
        Topic<String, VisitSnapshot> validVisits = topics.validVisits();
        checked(builder, shared.visits(), new VisitRule(), true, deadLetters, shared, metrics)
                .to(validVisits.name(), produced(validVisits, "valid-visits"));
    }

    private static void addCalls(StreamsBuilder builder, EnricherTopics topics, GeoLookup geo, DeadLetters deadLetters,
                                 Clock clock, EnricherMetrics metrics) {
        Topics shared = topics.shared();
        AccountSubscriptionsCache subscriptionsCache = new AccountSubscriptionsCache();
        Topic<String, AccountSubscription> table = topics.accountSubscriptions();
        builder.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ACCOUNT_SUBSCRIPTIONS_STORE),
                        table.keySerde(), table.valueSerde()).withLoggingDisabled(),
                table.name(), Consumed.with(table.keySerde(), table.valueSerde()).withName("read-" + table.name()),
                () -> new AccountSubscriptionsUpdater(ACCOUNT_SUBSCRIPTIONS_STORE, subscriptionsCache));
        Topic<String, VisitSnapshot> validVisits = topics.validVisits();
        builder.globalTable(validVisits.name(), Consumed.with(validVisits.keySerde(), validVisits.valueSerde()),
                Materialized.<String, VisitSnapshot, KeyValueStore<Bytes, byte[]>>as(VISITS_STORE)
                        .withKeySerde(validVisits.keySerde()).withValueSerde(validVisits.valueSerde()));
        Topic<String, CallEvent> calls = shared.callEvents();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PENDING_TEST_CALLS_STORE),
                Serdes.String(), calls.valueSerde()));
        FanOut fanOut = new FanOut(geo, clock, metrics, deadLetters);
        KStream<String, Checked<WebhookRequest>> enriched = builder
                .stream(calls.name(), Consumed.with(calls.keySerde(), calls.valueSerde()).withName("read-" + calls.name()))
                .process(() -> new CallEnricher(new RecordCheck<>(new CallEventRule(), false, deadLetters),
                                PENDING_TEST_CALLS_STORE, ACCOUNT_SUBSCRIPTIONS_STORE, VISITS_STORE, subscriptionsCache, fanOut,
                                deadLetters, calls.name(), metrics),
                        Named.as("enrich-calls"), PENDING_TEST_CALLS_STORE);
        deadLetterFailures(enriched, "enrich-calls", shared, metrics)
                .to(shared.outbound().name(), produced(shared.outbound(), "enrich-calls"));
    }

    /** The topic's records that pass the rule; the others go to the dead-letter topic. */
    private static <V> KStream<String, V> checked(StreamsBuilder builder, Topic<String, V> topic, RecordRule<V> rule,
                                                  boolean tombstonesPass, DeadLetters deadLetters, Topics shared,
                                                  EnricherMetrics metrics) {
        String name = "check-" + topic.name();
        KStream<String, Checked<V>> checked = builder
                .stream(topic.name(), Consumed.with(topic.keySerde(), topic.valueSerde()).withName("read-" + topic.name()))
                .process(() -> new CheckProcessor<>(new RecordCheck<>(rule, tombstonesPass, deadLetters)), Named.as(name));
        return deadLetterFailures(checked, name, shared, metrics);
    }

    /** Failed records to the dead-letter topic; passed ones' values go on. */
    private static <V> KStream<String, V> deadLetterFailures(KStream<String, Checked<V>> checked, String name, Topics shared,
                                                             EnricherMetrics metrics) {
        checked.filter((key, value) -> value instanceof Checked.Failed<V>, Named.as(name + "-failed"))
                .mapValues(value -> {
                    DeadLetter letter = ((Checked.Failed<V>) value).deadLetter();
                    metrics.deadLettered(letter.getReasonCode());
                    return letter;
                }, Named.as(name + "-dead-letter"))
                .to(shared.deadLetters().name(), produced(shared.deadLetters(), name));
        return checked.filter((key, value) -> value instanceof Checked.Passed<V>, Named.as(name + "-passed"))
                .mapValues(value -> ((Checked.Passed<V>) value).value(), Named.as(name + "-value"));
    }

    /**
     * Checked subscriptions → one slim record per subscription in {@code <app>.account-subscriptions}
     * (past the size and per-account caps, a dead letter naming the subscription instead), which
     * the calls half reads as a global store.
     */
    private static void accountSubscriptions(StreamsBuilder builder, EnricherTopics topics, KStream<String, Subscription> valid,
                                             SubscriptionLimits limits, DeadLetters deadLetters, EnricherMetrics metrics) {
        Topics shared = topics.shared();
        Topic<String, AccountSubscription> table = topics.accountSubscriptions();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SUBSCRIPTION_ACCOUNT_STORE),
                Serdes.String(), Serdes.Long()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HELD_SUBSCRIPTIONS_STORE),
                Serdes.String(), Serdes.Integer()));
        KStream<String, AccountSubscription> slim = deadLetterFailures(valid.process(
                () -> new SubscriptionSlimmer(SUBSCRIPTION_ACCOUNT_STORE, limits.maxBytes(), deadLetters),
                Named.as("slim-subscriptions"), SUBSCRIPTION_ACCOUNT_STORE), "slim-subscriptions", shared, metrics);
        KStream<String, AccountSubscription> held = deadLetterFailures(slim
                .repartition(Repartitioned.<String, AccountSubscription>as(BY_ACCOUNT_REPARTITION)
                        .withKeySerde(table.keySerde()).withValueSerde(table.valueSerde())
                        .withStreamPartitioner(new AccountPartitioner<>()))
                .process(() -> new AccountSubscriptionCap(HELD_SUBSCRIPTIONS_STORE, limits.maxPerAccount(), deadLetters),
                        Named.as("cap-subscriptions-per-account"), HELD_SUBSCRIPTIONS_STORE),
                "cap-subscriptions-per-account", shared, metrics);
        held.to(table.name(), produced(table, "account-subscriptions"));
    }

    private static <K, V> Produced<K, V> produced(Topic<K, V> topic, String from) {
        return Produced.with(topic.keySerde(), topic.valueSerde()).withName(from + "-to-" + topic.name());
    }
}
