package io.callhook.dispatcher.engine;

import io.callhook.deadletter.DeadLetterReason;
import io.callhook.dispatcher.DispatcherMetrics;
import io.callhook.dispatcher.consume.DeliverySink;
import io.callhook.dispatcher.http.SendResult;
import io.callhook.dispatcher.http.WebhookSender;
import io.callhook.dispatcher.publish.OutcomeWriter;
import io.callhook.dispatcher.publish.Write;
import io.callhook.domain.SubscriptionView;
import io.callhook.model.Subscription;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers webhook requests: prepare (sign) → send → typed result → handle, for hundreds of
 * requests at once. Each subscription's endpoint has a lane of its own (FIFO, an in-flight cap,
 * a circuit breaker, its rate limit), so a slow or dead endpoint only ever holds back itself.
 *
 * <p>Lanes are spread over several Vert.x contexts by subscription id, so different endpoints'
 * HTTP I/O runs on different event loops; a lane's state is only touched on its own context.
 * Kafka writes complete on other threads. A delivery reports {@link Delivery#finished()} once
 * its outcome is durably written, and not before.
 */
public final class DeliveryEngine implements DeliverySink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryEngine.class);
    private static final Duration IDLE_LANE = Duration.ofMinutes(10);
    private static final long VIEW_RECHECK_MS = 500;
    private static final int MAX_SHED_PER_DRAIN = 512;

    private final Vertx vertx;
    private final Context[] contexts;
    private final WebhookSender sender;
    private final SubscriptionView subscriptions;
    private final Preparer preparer;
    private final OutcomeHandler outcomes;
    private final OutcomeWriter writer;
    private final EngineConfig config;
    private final LaneBreakers breakers;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final DestinationSlots<Lane> slots;
    private final LaneBacklog backlog;
    private final AtomicInteger buffered = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final long sweepTimer;
    private final long paceTimer;
    private final java.util.concurrent.atomic.AtomicLong completed = new java.util.concurrent.atomic.AtomicLong();
    /** Requests the engine finishes per second, all lanes together (moving average, updated every second). */
    private volatile double enginePace;

    /**
     * What the engine delivers with, built by the dispatcher's wiring ({@code DispatcherApp}).
     *
     * @param sender   sends a prepared request, the SSRF guard included
     * @param preparer signs and builds each request
     * @param outcomes turns what happened into writes (attempt records, retries, dead letters)
     * @param writer   makes those writes, retrying what may land later and writing smaller records for what never can
     * @param breakers the circuit breaker each lane gets
     */
    public record Parts(WebhookSender sender, Preparer preparer, OutcomeHandler outcomes, OutcomeWriter writer,
                       LaneBreakers breakers) {
    }

    /**
     * Time, injected so that tests can hold it still.
     *
     * @param clock    wall time for records
     * @param nanoTime elapsed time for latencies, rate limits and idle lanes
     */
    public record Sources(Clock clock, LongSupplier nanoTime) {
    }

    /**
     * @param engine                    lanes, buffer and breakers ({@link EngineConfig})
     * @param connectionsPerDestination requests open at once to one destination (scheme, host, port),
     *                                  shared fairly by its lanes: the HTTP client's connections per destination
     */
    public DeliveryEngine(Vertx vertx, Parts parts, SubscriptionView subscriptions, EngineConfig engine,
                          int connectionsPerDestination, DispatcherMetrics metrics, Sources sources) {
        this.vertx = vertx;
        // Contexts created off Vert.x threads land on event loops round-robin.
        this.contexts = new Context[Math.max(1, Runtime.getRuntime().availableProcessors())];
        for (int i = 0; i < contexts.length; i++) {
            contexts[i] = vertx.getOrCreateContext();
        }
        this.sender = parts.sender();
        this.subscriptions = subscriptions;
        this.preparer = parts.preparer();
        this.outcomes = parts.outcomes();
        this.writer = parts.writer();
        this.breakers = parts.breakers();
        this.config = engine;
        this.clock = sources.clock();
        this.nanoTime = sources.nanoTime();
        this.slots = new DestinationSlots<>(connectionsPerDestination, this::slotGranted);
        this.backlog = new LaneBacklog(config.laneMaxBacklog());
        Map<String, Supplier<Number>> breakerStates = new LinkedHashMap<>();
        for (CircuitBreaker.State state : new CircuitBreaker.State[] {
                CircuitBreaker.State.CLOSED, CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN}) {
            breakerStates.put(state.name().toLowerCase(java.util.Locale.ROOT),
                    () -> lanes.values().stream().filter(lane -> lane.breakerState() == state).count());
        }
        metrics.bindEngine(inFlight::get, () -> buffered.get() - inFlight.get(), breakerStates);
        long[] last = {0, nanoTime.getAsLong()};
        this.paceTimer = vertx.setPeriodic(1000, id -> {
            long count = completed.get();
            long at = nanoTime.getAsLong();
            double perSecond = (count - last[0]) / ((at - last[1]) / 1e9);
            enginePace = enginePace == 0 ? perSecond : 0.5 * enginePace + 0.5 * perSecond;
            last[0] = count;
            last[1] = at;
        });
        this.sweepTimer = vertx.setPeriodic(60_000, id -> {
            for (Context context : contexts) {
                context.runOnContext(v -> sweepIdleLanes(context));
            }
        });
    }

    @Override
    public void submit(Delivery delivery) {
        buffered.incrementAndGet();
        String id = delivery.request().getSubscriptionId();
        Context context = contexts[Math.floorMod(id.hashCode(), contexts.length)];
        context.runOnContext(v -> {
            Lane lane = lanes.computeIfAbsent(id, key -> new Lane(key, context, breakers.forSubscription(key),
                    config.inFlightPerEndpoint(), nanoTime.getAsLong()));
            lane.add(delivery);
            drain(lane);
        });
    }

    /** Requests read and not yet finished: queued, in flight, or being written. */
    @Override
    public int buffered() {
        return buffered.get();
    }

    public int inFlight() {
        return inFlight.get();
    }

    private void drain(Lane lane) {
        long nowNanos = nanoTime.getAsLong();
        lane.lastActiveNanos = nowNanos;
        shedBacklog(lane, nowNanos);
        while (lane.mayStartNext()) {
            Delivery delivery = lane.next();
            Instant now = clock.instant();
            boolean waiting;
            try {
                waiting = !start(lane, delivery, now);
            } catch (RuntimeException e) {
                // Whatever went wrong with this one delivery ends it, as a dead letter naming the
                // failure: never a delivery that leaves its queue and never finishes.
                LOG.warn("Delivery of webhook {} ({}-{} at offset {}) failed before sending", delivery.request().getWebhookId(),
                        delivery.source().getTopic(), delivery.source().getPartition(), delivery.source().getOffset(), e);
                finish(delivery, () -> outcomes.notSendable(delivery, DeadLetterReason.PREPARE_FAILED, describe(e), now));
                continue;
            }
            if (waiting) {
                lane.putBack(delivery);
                break;
            }
        }
        // A connection handed to the lane that it could not use goes to the next lane in turn.
        if (lane.grantedSlot != null) {
            String destination = lane.grantedSlot;
            lane.grantedSlot = null;
            slots.release(destination);
        }
    }

    /**
     * Takes one delivery as far as it goes now: sent, or finished without sending (dropped,
     * dead-lettered, deferred by the breaker).
     *
     * @return false when the lane must wait (its rate limit, or its turn for a connection) before
     *         this delivery can go; it is then called again for the same delivery
     */
    private boolean start(Lane lane, Delivery delivery, Instant now) {
        Optional<Subscription> current = subscriptions.get(lane.subscriptionId);
        if ((current.isEmpty() || !current.get().getEnabled()) && !subscriptions.isCurrent()) {
            // The view is held back (e.g. the registry is down): "absent" or "disabled" may be out
            // of date, and a drop cannot be undone. Decide once it reads on.
            drainLater(lane, VIEW_RECHECK_MS);
            return false;
        }
        if (current.isEmpty()) {
            Optional<List<String>> refusal = subscriptions.refusal(lane.subscriptionId);
            if (refusal.isPresent()) {
                finish(delivery, () -> outcomes.notSendable(delivery, DeadLetterReason.SUBSCRIPTION_INVALID,
                        "subscription " + lane.subscriptionId + " on the subscriptions topic breaks the rules: "
                                + String.join("; ", refusal.get()), now));
            } else {
                finish(delivery, () -> outcomes.dropped(delivery, OutcomeHandler.SUBSCRIPTION_DELETED, now));
            }
            return true;
        }
        Subscription subscription = current.get();
        if (!subscription.getEnabled()) {
            String why = subscription.getDisabledReason() == null ? "" : ": " + subscription.getDisabledReason();
            finish(delivery, () -> outcomes.notSendable(delivery, DeadLetterReason.SUBSCRIPTION_DISABLED,
                    "subscription " + lane.subscriptionId + " is disabled" + why, now));
            return true;
        }
        long tokenInNanos = lane.takeToken(subscription.getRateLimitPerSecond(), nanoTime.getAsLong());
        if (tokenInNanos > 0) {
            drainLater(lane, Math.max(1, TimeUnit.NANOSECONDS.toMillis(tokenInNanos)));
            return false;
        }
        if (!lane.tryAcquirePermission()) {
            finish(delivery, () -> outcomes.circuitOpen(delivery, now));
            return true;
        }
        Preparer.Prepared prepared;
        try {
            prepared = preparer.prepare(delivery.request(), subscription, now);
        } catch (RuntimeException e) {
            lane.releasePermission();
            throw e;
        }
        if (prepared instanceof Preparer.Prepared.Unsignable unsignable) {
            lane.releasePermission();
            finish(delivery, () -> outcomes.unsignable(delivery, unsignable.reason(), now));
            return true;
        }
        Preparer.Prepared.Ready ready = (Preparer.Prepared.Ready) prepared;
        String destination = lane.destinationOf(ready.request().url());
        if (!takeSlot(lane, destination)) {
            // Its turn comes when a connection frees up; the token and the permission wait with it.
            lane.releasePermission();
            lane.giveBackToken();
            return false;
        }
        send(lane, delivery, subscription, ready, destination, now);
        return true;
    }

    /** A connection slot of the destination: the one handed to the lane, or a free one; else the lane waits its turn. */
    private boolean takeSlot(Lane lane, String destination) {
        if (lane.grantedSlot != null) {
            if (lane.grantedSlot.equals(destination)) {
                lane.grantedSlot = null;
                return true;
            }
            String other = lane.grantedSlot;
            lane.grantedSlot = null;
            slots.release(other);
        }
        boolean taken = slots.tryAcquire(destination, lane);
        lane.waitingForSlot = !taken;
        return taken;
    }

    /** A slot freed elsewhere is handed to this lane: it drains again on its own context. */
    private void slotGranted(Lane lane, String destination) {
        lane.context.runOnContext(v -> {
            if (lane.grantedSlot != null) {
                slots.release(lane.grantedSlot);
            }
            lane.grantedSlot = destination;
            lane.waitingForSlot = false;
            drain(lane);
        });
    }

    private void send(Lane lane, Delivery delivery, Subscription subscription, Preparer.Prepared.Ready prepared,
                      String destination, Instant started) {
        long startedNanos = nanoTime.getAsLong();
        lane.started(startedNanos);
        inFlight.incrementAndGet();
        Future<SendResult> sent;
        try {
            sent = sender.send(prepared.request());
        } catch (RuntimeException e) {
            // The sender promises results, not exceptions; one that breaks it fails this attempt only.
            sent = Future.failedFuture(e);
        }
        sent.onComplete(done -> onContext(lane.context, () -> {
            long endNanos = nanoTime.getAsLong();
            lane.finished(endNanos);
            inFlight.decrementAndGet();
            completed.incrementAndGet();
            slots.release(destination);
            SendResult result = done.succeeded() ? done.result() : new SendResult.ConnectionFailed(
                    SendResult.ConnectionFault.OTHER, String.valueOf(done.cause()), Duration.ofNanos(endNanos - startedNanos));
            lane.recordAnswer(result, endNanos - startedNanos);
            finish(delivery, () -> outcomes.handle(delivery, subscription, result, started));
            drain(lane);
        }));
    }

    /**
     * While the buffer is at least half full, a lane keeps only what its endpoint is expected to
     * take within {@link EngineConfig#laneMaxBacklog()}; the newest requests beyond that go to a
     * retry tier (LANE_FULL). A slow or rate-limited endpoint then cannot fill the buffer and make
     * the consumer pause for every endpoint. See {@link LaneBacklog} for who counts as slow.
     */
    private void shedBacklog(Lane lane, long nowNanos) {
        if (buffered.get() < config.maxBuffered() / 2 || lane.queued() <= 1) {
            return;
        }
        Integer rateLimit = subscriptions.get(lane.subscriptionId).map(Subscription::getRateLimitPerSecond).orElse(null);
        double rate = LaneBacklog.expectedRate(rateLimit, lane.pace(nowNanos), enginePace);
        int allowed = backlog.allowance(rate);
        if (lane.queued() <= allowed) {
            return;
        }
        Duration wait = config.laneMaxBacklog();
        String held = String.format(java.util.Locale.ROOT, "%d requests waiting for an endpoint that takes about %.1f per second%s: "
                + "more than %d s of its work; retried in %d s or later", lane.queued(), rate,
                rateLimit != null && rate >= rateLimit ? " (its rate limit)" : "", wait.toSeconds(), wait.toSeconds());
        Instant now = clock.instant();
        // A bounded share per turn keeps the event loop responsive; the next submit or answer sheds more.
        for (int shed = 0; shed < MAX_SHED_PER_DRAIN && lane.queued() > allowed; shed++) {
            Delivery newest = lane.newest();
            finish(newest, () -> outcomes.laneFull(newest, held, wait, now));
        }
    }


    /** "Type: message" of an exception, for dead letters and attempt logs. */
    private static String describe(Throwable failure) {
        String name = failure.getClass().getSimpleName().isEmpty() ? failure.getClass().getName() : failure.getClass().getSimpleName();
        return failure.getMessage() == null ? name : name + ": " + failure.getMessage();
    }



    /** Drains the lane again after a while, once however often it is asked for meanwhile. */
    private void drainLater(Lane lane, long delayMs) {
        if (!lane.drainScheduled) {
            lane.drainScheduled = true;
            vertx.setTimer(delayMs, id -> lane.context.runOnContext(v -> {
                lane.drainScheduled = false;
                drain(lane);
            }));
        }
    }

    /**
     * Makes the delivery's writes (see {@link OutcomeWriter}: each until it lands, or a smaller
     * record in its place), then frees its offset. Building them may fail (a bug, or data no record
     * can hold): the webhook is then kept as a dead letter naming the failure.
     */
    private void finish(Delivery delivery, Supplier<List<Write>> outcome) {
        List<Write> writes;
        try {
            writes = outcome.get();
        } catch (RuntimeException e) {
            LOG.error("The outcome of webhook {} ({}-{} at offset {}) could not be built; dead-lettering it",
                    delivery.request().getWebhookId(), delivery.source().getTopic(), delivery.source().getPartition(),
                    delivery.source().getOffset(), e);
            try {
                writes = outcomes.outcomeFailed(delivery, e, clock.instant());
            } catch (RuntimeException again) {
                LOG.error("Nor could its dead letter be built; its offset is freed", again);
                writes = List.of();
            }
        }
        writer.write(writes).whenComplete((ok, error) -> {
            buffered.decrementAndGet();
            delivery.finished().run();
        });
    }

    private static void onContext(Context context, Runnable action) {
        if (Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }

    private void sweepIdleLanes(Context context) {
        long cutoff = nanoTime.getAsLong() - IDLE_LANE.toNanos();
        lanes.values().removeIf(lane -> lane.context == context && lane.isIdle() && lane.lastActiveNanos < cutoff);
    }

    @Override
    public void close() {
        vertx.cancelTimer(sweepTimer);
        vertx.cancelTimer(paceTimer);
    }

}
