package io.callhook.enricher;

import io.callhook.enricher.check.CallEventRule;
import io.callhook.enricher.check.CheckProcessor;
import io.callhook.enricher.check.Checked;
import io.callhook.enricher.check.RecordRule;
import io.callhook.enricher.check.VisitRule;
import io.callhook.enricher.deadletter.DeadLetters;
import io.callhook.enricher.fanout.AccountSubscriptionsAggregator;
import io.callhook.enricher.fanout.FanOut;
import io.callhook.enricher.fanout.MatchedCall;
import io.callhook.enricher.fanout.SubscriptionMatcher;
import io.callhook.enricher.fanout.TestCallHold;
import io.callhook.enricher.geo.GeoLookup;
import io.callhook.model.AccountSubscriptions;
import io.callhook.model.CallEvent;
import io.callhook.model.Subscription;
import io.callhook.model.VisitSnapshot;
import io.callhook.subscription.SubscriptionRules;
import io.callhook.topic.Topic;
import io.callhook.topic.Topics;
import java.time.Clock;
import io.callhook.model.DeadLetter;
import io.callhook.model.WebhookRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The enricher's topology: every call event becomes one rendered webhook per matching
 * subscription. Reads and writes (see {@link EnricherTopics}):
 *
 * <pre>
 * webhooks.subscriptions ─check─► table by id ─group by account─► &lt;app&gt;.subscriptions-by-account ─► global table
 * visits ────────────────check─► &lt;app&gt;.visits-valid ───────────────────────────────────────────► global table
 * calls.events ──check─► hold test calls until their target is known ─► ⋈ account's subscriptions ─match─►
 *                          ⋈ latest visit ─geo, render─► webhooks.outbound
 *                        (every check) ─invalid─► webhooks.dead-letter
 * </pre>
 *
 * Both lookups are global tables, so call events need no repartitioning: the hot path is one
 * read and one transactional write. Subscriptions and visits reach the global tables only
 * through topics the enricher writes after checking them, so a malformed record is
 * dead-lettered once instead of being loaded into every instance's store.
 */
public final class EnricherTopology {

    static final String SUBSCRIPTIONS_STORE = "subscriptions";
    static final String ACCOUNT_SUBSCRIPTIONS_STORE = "account-subscriptions";
    static final String SUBSCRIPTIONS_BY_ACCOUNT_STORE = "subscriptions-by-account";
    static final String VISITS_STORE = "visits";
    static final String BY_ACCOUNT_GROUPING = "by-account";
    static final String PENDING_TEST_CALLS_STORE = "pending-test-calls";

    private EnricherTopology() {
    }

    /**
     * The value schema of every topic this topology writes, Kafka Streams' internal topics
     * included (their names follow from the store and grouping names above), for registration
     * at start.
     */
    public static Map<String, Schema> writtenSchemas(EnricherTopics topics, String applicationId) {
        Map<String, Schema> schemas = new LinkedHashMap<>();
        schemas.put(topics.shared().outbound().name(), WebhookRequest.getClassSchema());
        schemas.put(topics.shared().deadLetters().name(), DeadLetter.getClassSchema());
        schemas.put(topics.validVisits().name(), VisitSnapshot.getClassSchema());
        schemas.put(topics.subscriptionsByAccount().name(), AccountSubscriptions.getClassSchema());
        schemas.put(applicationId + "-" + SUBSCRIPTIONS_STORE + "-changelog", Subscription.getClassSchema());
        schemas.put(applicationId + "-" + BY_ACCOUNT_GROUPING + "-repartition", Subscription.getClassSchema());
        schemas.put(applicationId + "-" + ACCOUNT_SUBSCRIPTIONS_STORE + "-changelog", AccountSubscriptions.getClassSchema());
        schemas.put(applicationId + "-" + PENDING_TEST_CALLS_STORE + "-changelog", CallEvent.getClassSchema());
        return schemas;
    }

    public static Topology build(EnricherTopics topics, SubscriptionRules subscriptionRules, GeoLookup geo,
                                 Clock clock, EnricherMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        DeadLetters deadLetters = new DeadLetters(clock);
        Topics shared = topics.shared();

        GlobalKTable<String, AccountSubscriptions> subscriptionsByAccount =
                subscriptionsByAccount(builder, topics, checked(builder, shared.subscriptions(), subscriptionRules::check,
                        true, deadLetters, shared, metrics));
        GlobalKTable<String, VisitSnapshot> visits =
                validVisits(builder, topics, checked(builder, shared.visits(), new VisitRule(), true, deadLetters, shared, metrics));
        KStream<String, CallEvent> checkedCalls =
                checked(builder, shared.callEvents(), new CallEventRule(), false, deadLetters, shared, metrics);
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PENDING_TEST_CALLS_STORE),
                Serdes.String(), shared.callEvents().valueSerde()));
        KStream<String, CallEvent> calls = deadLetterFailures(checkedCalls.process(
                () -> new TestCallHold(PENDING_TEST_CALLS_STORE, SUBSCRIPTIONS_BY_ACCOUNT_STORE, deadLetters,
                        shared.callEvents().name()),
                Named.as("hold-test-calls"), PENDING_TEST_CALLS_STORE), "hold-test-calls", shared, metrics);

        FanOut fanOut = new FanOut(geo, clock, metrics);
        calls.leftJoin(subscriptionsByAccount, (key, call) -> Long.toString(call.getAccountId()),
                        (call, account) -> new MatchedCall(call, matching(call, account), null),
                        Named.as("join-account-subscriptions"))
                .filter((key, matched) -> {
                    boolean any = !matched.subscriptions().isEmpty();
                    metrics.callMatched(any);
                    return any;
                }, Named.as("with-subscriptions"))
                .leftJoin(visits, (key, matched) -> matched.call().getVisitorId(), MatchedCall::withVisit,
                        Named.as("join-visit"))
                .flatMap((key, matched) -> fanOut.apply(matched), Named.as("fan-out"))
                .to(shared.outbound().name(), produced(shared.outbound(), "fan-out"));
        return builder.build();
    }

    /** The topic's records that pass the rule; the others go to the dead-letter topic. */
    private static <V> KStream<String, V> checked(StreamsBuilder builder, Topic<String, V> topic, RecordRule<V> rule,
                                                  boolean tombstonesPass, DeadLetters deadLetters, Topics shared,
                                                  EnricherMetrics metrics) {
        String name = "check-" + topic.name();
        KStream<String, Checked<V>> checked = builder
                .stream(topic.name(), Consumed.with(topic.keySerde(), topic.valueSerde()).withName("read-" + topic.name()))
                .process(() -> new CheckProcessor<>(rule, tombstonesPass, deadLetters), Named.as(name));
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

    private static GlobalKTable<String, AccountSubscriptions> subscriptionsByAccount(
            StreamsBuilder builder, EnricherTopics topics, KStream<String, Subscription> valid) {
        Topic<String, Subscription> subscriptions = topics.shared().subscriptions();
        Topic<String, AccountSubscriptions> byAccount = topics.subscriptionsByAccount();
        valid.toTable(Named.as("subscriptions-table"),
                        Materialized.<String, Subscription, KeyValueStore<Bytes, byte[]>>as(SUBSCRIPTIONS_STORE)
                                .withKeySerde(subscriptions.keySerde()).withValueSerde(subscriptions.valueSerde()))
                .groupBy((id, subscription) -> KeyValue.pair(Long.toString(subscription.getAccountId()), subscription),
                        Grouped.with(BY_ACCOUNT_GROUPING, Serdes.String(), subscriptions.valueSerde()))
                .aggregate(AccountSubscriptionsAggregator::empty, AccountSubscriptionsAggregator::add,
                        AccountSubscriptionsAggregator::remove, Named.as("account-subscriptions"),
                        Materialized.<String, AccountSubscriptions, KeyValueStore<Bytes, byte[]>>as(ACCOUNT_SUBSCRIPTIONS_STORE)
                                .withKeySerde(byAccount.keySerde()).withValueSerde(byAccount.valueSerde()))
                .toStream(Named.as("account-subscriptions-changes"))
                // An account left without subscriptions becomes a tombstone, so compaction forgets it.
                .mapValues(account -> account == null || account.getSubscriptions().isEmpty() ? null : account,
                        Named.as("empty-account-as-tombstone"))
                .to(byAccount.name(), produced(byAccount, "account-subscriptions"));
        return builder.globalTable(byAccount.name(), Consumed.with(byAccount.keySerde(), byAccount.valueSerde()),
                Materialized.<String, AccountSubscriptions, KeyValueStore<Bytes, byte[]>>as(SUBSCRIPTIONS_BY_ACCOUNT_STORE)
                        .withKeySerde(byAccount.keySerde()).withValueSerde(byAccount.valueSerde()));
    }

    private static GlobalKTable<String, VisitSnapshot> validVisits(StreamsBuilder builder, EnricherTopics topics,
                                                                   KStream<String, VisitSnapshot> valid) {
        Topic<String, VisitSnapshot> validVisits = topics.validVisits();
        valid.to(validVisits.name(), produced(validVisits, "valid-visits"));
        return builder.globalTable(validVisits.name(), Consumed.with(validVisits.keySerde(), validVisits.valueSerde()),
                Materialized.<String, VisitSnapshot, KeyValueStore<Bytes, byte[]>>as(VISITS_STORE)
                        .withKeySerde(validVisits.keySerde()).withValueSerde(validVisits.valueSerde()));
    }

    private static List<Subscription> matching(CallEvent call, AccountSubscriptions account) {
        if (account == null) {
            return List.of();
        }
        List<Subscription> matching = new ArrayList<>(account.getSubscriptions().size());
        for (Subscription subscription : account.getSubscriptions()) {
            if (SubscriptionMatcher.matches(subscription, call)) {
                matching.add(subscription);
            }
        }
        return matching;
    }

    private static <K, V> Produced<K, V> produced(Topic<K, V> topic, String from) {
        return Produced.with(topic.keySerde(), topic.valueSerde()).withName(from + "-to-" + topic.name());
    }
}
