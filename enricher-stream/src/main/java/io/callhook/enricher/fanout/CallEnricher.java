package io.callhook.enricher.fanout;

import io.callhook.enricher.EnricherMetrics;
import io.callhook.enricher.check.Checked;
import io.callhook.enricher.check.RecordCheck;
import io.callhook.enricher.deadletter.DeadLetters;
import io.callhook.enricher.subscriptions.AccountSubscriptionsCache;
import io.callhook.enricher.subscriptions.AccountSubscriptionsCache.Target;
import io.callhook.enricher.subscriptions.AccountSubscriptionsTable;
import io.callhook.model.CallEvent;
import io.callhook.model.SourceCoordinates;
import io.callhook.model.VisitSnapshot;
import io.callhook.model.WebhookRequest;
import io.callhook.testcall.TestCallSample;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * A call event's whole way to its webhooks, in one processor: check it ({@link RecordCheck}),
 * hold a test call until its target is known ({@link TestCallHold}), find the subscriptions it
 * goes to among its account's ({@link SubscriptionMatcher} through the
 * {@link AccountSubscriptionsCache}), look up its visitor's latest visit, and render one request
 * per subscription ({@link FanOut}). Out go requests keyed by subscription id, and dead letters.
 *
 * <p>One processor rather than a chain of DSL operators because Kafka Streams' cost per operator
 * and record (a record copy with its headers, a context switch, metrics) was about a fifth of the
 * stream threads' time. Both lookups read global stores, so calls are never repartitioned.
 */
public final class CallEnricher implements Processor<String, CallEvent, String, Checked<WebhookRequest>> {

    private final RecordCheck<CallEvent> check;
    private final String pendingStore;
    private final String subscriptionsStore;
    private final String visitsStore;
    private final AccountSubscriptionsCache cache;
    private final FanOut fanOut;
    private final DeadLetters deadLetters;
    private final String callsTopic;
    private final EnricherMetrics metrics;
    private ProcessorContext<String, Checked<WebhookRequest>> context;
    private AccountSubscriptionsTable subscriptions;
    private ReadOnlyKeyValueStore<String, ValueAndTimestamp<VisitSnapshot>> visits;
    private TestCallHold hold;
    /** The hold's look at its calls, scheduled only while it holds some; null when not. */
    private Cancellable looking;

    /**
     * @param pendingStore where held test calls wait
     * @param subscriptionsStore the global store of account subscriptions
     * @param visitsStore the global table of latest visits
     * @param callsTopic named as the source of dead letters of calls released from the hold, whose offsets are not known then
     */
    public CallEnricher(RecordCheck<CallEvent> check, String pendingStore, String subscriptionsStore, String visitsStore,
                        AccountSubscriptionsCache cache, FanOut fanOut, DeadLetters deadLetters, String callsTopic,
                        EnricherMetrics metrics) {
        this.check = check;
        this.pendingStore = pendingStore;
        this.subscriptionsStore = subscriptionsStore;
        this.visitsStore = visitsStore;
        this.cache = cache;
        this.fanOut = fanOut;
        this.deadLetters = deadLetters;
        this.callsTopic = callsTopic;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Checked<WebhookRequest>> context) {
        this.context = context;
        this.subscriptions = new AccountSubscriptionsTable(context.getStateStore(subscriptionsStore));
        this.visits = context.getStateStore(visitsStore);
        this.hold = new TestCallHold(context.getStateStore(pendingStore), subscriptions, deadLetters, callsTopic);
        this.looking = null;
        if (!hold.isEmpty()) {
            // Calls held when the task last stopped.
            lookAtHeldCalls();
        }
    }

    /**
     * Looks at the held calls twice a second, until none is left. Not all the time: each wall-clock
     * punctuation makes Kafka Streams commit the task even when it did nothing, and under
     * exactly-once every commit is a transaction, so an idle enricher ran two or three transactions
     * a second for ever once its tasks had seen a call.
     */
    private void lookAtHeldCalls() {
        if (looking == null) {
            looking = context.schedule(TestCallHold.LOOK_EVERY, PunctuationType.WALL_CLOCK_TIME, this::releaseOrExpire);
        }
    }

    @Override
    public void process(Record<String, CallEvent> record) {
        Checked<CallEvent> checked = check.check(record, context);
        if (checked instanceof Checked.Failed<CallEvent> failed) {
            context.forward(record.withValue(new Checked.Failed<>(failed.deadLetter())));
            return;
        }
        CallEvent call = ((Checked.Passed<CallEvent>) checked).value();
        RecordMetadata source = context.recordMetadata().orElseThrow();
        if (hold.holds(call, source.offset())) {
            lookAtHeldCalls();
        } else {
            enrich(record, call, new SourceCoordinates(source.topic(), source.partition(), source.offset()));
        }
    }

    private void releaseOrExpire(long now) {
        boolean stillHolding = hold.releaseOrExpire(now,
                call -> enrich(new Record<>(Long.toString(call.getCallId()), call, now), call,
                        new SourceCoordinates(callsTopic, -1, -1L)),
                (call, letter) -> context.forward(new Record<>(Long.toString(call.getCallId()),
                        new Checked.Failed<>(letter), now, new RecordHeaders())));
        if (!stillHolding) {
            looking.cancel();
            looking = null;
        }
    }

    private void enrich(Record<String, CallEvent> record, CallEvent call, SourceCoordinates source) {
        List<Target> targets = SubscriptionMatcher.select(cache.of(call.getAccountId(), subscriptions::of), call);
        metrics.callMatched(!targets.isEmpty());
        if (targets.isEmpty()) {
            return;
        }
        fanOut.render(call, visitOf(call), targets, source,
                (subscriptionId, result) -> context.forward(record.withKey(subscriptionId).withValue(result)));
    }

    /**
     * The visitor's latest visit. A test call's visitor was never on a site: it gets the sample
     * visit, so a test webhook shows what the visit part of a real one looks like.
     */
    private VisitSnapshot visitOf(CallEvent call) {
        String visitorId = call.getVisitorId();
        if (visitorId == null) {
            return null;
        }
        ValueAndTimestamp<VisitSnapshot> latest = visits.get(visitorId);
        if (latest != null) {
            return latest.value();
        }
        return call.getTest() ? TestCallSample.visit(visitorId, call.getCallDate()) : null;
    }
}
