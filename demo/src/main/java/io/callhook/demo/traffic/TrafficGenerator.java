package io.callhook.demo.traffic;

import io.callhook.demo.Traffic;
import io.callhook.model.CallEvent;
import io.callhook.model.CallPhase;
import io.callhook.model.VisitSnapshot;
import io.callhook.topic.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the telephony backend and the site tracker for the demo: calls begin at random at an
 * average of {@link TrafficSettings#callsPerSecond()} per second, and for each one it publishes
 * <ol>
 *   <li>the visitor's {@link VisitSnapshot} to {@code visits} (key: visitor id), unless the caller
 *       was not seen on the site ({@link TrafficSettings#withoutVisitor()}: no visitor id then);</li>
 *   <li>once the broker has the visit and {@link TrafficSettings#visitLead()} has passed, the
 *       {@link CallEvent} STARTED to {@code calls.events} (key: call id);</li>
 *   <li>a call length later ({@link TrafficSettings#minCallLength()}..{@link TrafficSettings#maxCallLength()}),
 *       the ENDED event of the same call: same caller, phones and widget, with its duration, final
 *       SIP status and recording.</li>
 * </ol>
 * Content comes from {@link Traffic} (both products by account, Russian and foreign IPs, UTM tags,
 * browsers); the call's IP is also the visit's, as the tracker and the backend see the same
 * client. Call ids come from {@link CallIds}: unique across restarts, below 2^52.
 *
 * <p>Everything runs on one scheduler thread, which also confines {@link Traffic} (not
 * thread-safe); nothing waits for the broker there: acknowledgements arrive on the producer's
 * thread and only hand work back. {@link #start()} once, {@link #stop()} once; {@link #stats()}
 * from any thread. The producer is the caller's: it is neither flushed nor closed here.
 */
public final class TrafficGenerator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrafficGenerator.class);
    private static final long STOP_TIMEOUT_SECONDS = 10;
    private static final long FAILURE_LOG_INTERVAL_MILLIS = 10_000;
    private static final int BUSY_HERE = 486;

    private final Producer<String, byte[]> producer;
    private final String visitsTopic;
    private final String callsTopic;
    private final Serializer<VisitSnapshot> visitSerializer;
    private final Serializer<CallEvent> callSerializer;
    private final Traffic traffic;
    private final TrafficSettings settings;
    private final Clock clock;
    private final CallIds callIds;
    private final SplittableRandom random;

    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong visits = new AtomicLong();
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong ended = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong lastFailureLog = new AtomicLong();

    // Only touched on the scheduler thread.
    private final Map<Long, OpenCall> openCalls = new LinkedHashMap<>();

    private volatile boolean running;
    private volatile ScheduledThreadPoolExecutor scheduler;

    /** A generator on the system clock. */
    public TrafficGenerator(Producer<String, byte[]> producer, Topics topics, Traffic traffic, TrafficSettings settings) {
        this(producer, topics, traffic, settings, Clock.systemUTC());
    }

    /**
     * @param producer a producer of serialized values, e.g. {@code new KafkaProducer<>(producerConfig(bootstrap))}
     * @param topics   names and value serdes of {@code visits} and {@code calls.events}
     * @param traffic  the content generator; used only by this generator from now on
     * @param settings rate, accounts and timing
     * @param clock    event times and call ids
     */
    public TrafficGenerator(Producer<String, byte[]> producer, Topics topics, Traffic traffic, TrafficSettings settings,
                            Clock clock) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.visitsTopic = topics.visits().name();
        this.callsTopic = topics.callEvents().name();
        this.visitSerializer = topics.visits().valueSerde().serializer();
        this.callSerializer = topics.callEvents().valueSerde().serializer();
        this.traffic = Objects.requireNonNull(traffic, "traffic");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.callIds = new CallIds(clock::millis);
        this.random = new SplittableRandom(settings.seed());
    }

    /**
     * Settings of a producer for this generator: string keys, byte values (serialized here with
     * the topics' serdes), acknowledged by all replicas, idempotent so retries keep each call's
     * STARTED before its ENDED.
     */
    public static Map<String, Object> producerConfig(String bootstrapServers) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "callhook-demo-traffic");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return config;
    }

    /**
     * Begins generating calls.
     *
     * @throws IllegalStateException if started before: a generator runs once
     */
    public synchronized void start() {
        if (scheduler != null) {
            throw new IllegalStateException("traffic generator already started; a generator runs once");
        }
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "callhook-traffic");
            thread.setDaemon(true);
            return thread;
        });
        // Calls hung up at stop cancel their ENDED task; drop it from the queue at once.
        executor.setRemoveOnCancelPolicy(true);
        scheduler = executor;
        running = true;
        Arrivals arrivals = new Arrivals(settings.callsPerSecond(), random.split(), System.nanoTime());
        executor.scheduleWithFixedDelay(() -> tick(arrivals), 0, tickMillis(settings.callsPerSecond()), TimeUnit.MILLISECONDS);
        LOG.info("Traffic: {} calls/s on accounts {} to {} and {}; calls last {}..{}, {} % without visitor",
                settings.callsPerSecond(), settings.accounts(), visitsTopic, callsTopic, settings.minCallLength(),
                settings.maxCallLength(), Math.round(settings.withoutVisitor() * 100));
    }

    /**
     * Stops beginning calls and hangs up the open ones: their ENDED is sent now, so every STARTED
     * published has its ENDED; calls still waiting for their visit's lead never start. Waits up to
     * 10 s for the scheduler thread. Calling it again, or before start, does nothing.
     */
    public void stop() {
        ScheduledThreadPoolExecutor executor;
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            executor = scheduler;
        }
        try {
            // On the scheduler thread, after whatever it is doing: open calls are confined to it.
            executor.submit(this::hangUp).get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            LOG.warn("Traffic: hanging up the open calls failed", e.getCause());
        } catch (TimeoutException e) {
            LOG.warn("Traffic: open calls not hung up within {} s; their ENDED is not sent", STOP_TIMEOUT_SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("Traffic: the scheduler thread did not end within {} s", STOP_TIMEOUT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Traffic stopped: {}", stats());
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /** Whether calls are being generated: after {@link #start()}, before {@link #stop()}. */
    public boolean running() {
        return running;
    }

    /** Counters so far; safe from any thread. */
    public TrafficStats stats() {
        return new TrafficStats(calls.get(), visits.get(), started.get(), ended.get(), failed.get());
    }

    // ---------------------------------------------------------------- on the scheduler thread

    private void tick(Arrivals arrivals) {
        try {
            int due = arrivals.due(System.nanoTime());
            for (int i = 0; i < due && running; i++) {
                beginCall();
            }
        } catch (RuntimeException e) {
            // Caught so the periodic task survives: an exception would cancel it silently.
            LOG.error("Traffic: could not begin a call", e);
        }
    }

    private void beginCall() {
        long callId = callIds.next();
        long account = settings.accounts().get(random.nextInt(settings.accounts().size()));
        CallEvent call = traffic.call(callId, account, false);
        calls.incrementAndGet();
        if (random.nextDouble() < settings.withoutVisitor()) {
            startCall(CallEvent.newBuilder(call).setVisitorId(null).build());
            return;
        }
        VisitSnapshot visit = VisitSnapshot.newBuilder(traffic.visit(call.getVisitorId()))
                .setIp(call.getClientIp())
                .setUpdatedAt(clock.instant())
                .build();
        // The call starts once the visit is on the broker (and the lead has passed), so the
        // enricher can have it when the call arrives; also after a failed visit, as a backend would.
        publish(visitsTopic, visit.getVisitorId(), visitSerializer, visit, visits,
                () -> later(() -> startCall(call), settings.visitLead()));
    }

    private void startCall(CallEvent template) {
        if (!running) {
            return; // stopped during the visit's lead: this call never began
        }
        Instant now = clock.instant();
        Duration ordered = template.getOrderDate() == null ? Duration.ZERO
                : Duration.between(template.getOrderDate(), template.getCallDate());
        // Traffic dates calls within a day of its start; a live demo's calls happen now.
        CallEvent call = CallEvent.newBuilder(template)
                .setOccurredAt(now)
                .setCallDate(now)
                .setOrderDate(now.minus(ordered))
                .build();
        publish(callsTopic, Long.toString(call.getCallId()), callSerializer, call, started, null);
        OpenCall open = new OpenCall(call);
        openCalls.put(call.getCallId(), open);
        open.end = scheduler.schedule(() -> endCall(open), callLength().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void endCall(OpenCall open) {
        if (openCalls.remove(open.started.getCallId()) == null) {
            return; // already hung up
        }
        CallEvent started = open.started;
        Instant now = clock.instant();
        // Drawn for the end's SIP status only; everything else stays the started call's.
        CallEvent outcome = traffic.call(started.getCallId(), started.getAccountId(), true);
        boolean busy = outcome.getClientSipStatus() != null && outcome.getClientSipStatus() == BUSY_HERE;
        CallEvent end = CallEvent.newBuilder(started)
                .setEventId("evt-" + started.getCallId() + "-end")
                .setPhase(CallPhase.ENDED)
                .setOccurredAt(now)
                .setDurationSec(busy ? 0 : (int) Math.round(Duration.between(started.getOccurredAt(), now).toMillis() / 1000.0))
                .setClientSipStatus(busy ? BUSY_HERE : 200)
                .setClientSipReason(busy ? "Busy Here" : "OK")
                .setRecordUrl(busy ? "" : outcome.getRecordUrl())
                .build();
        publish(callsTopic, Long.toString(end.getCallId()), callSerializer, end, ended, null);
    }

    private void hangUp() {
        List<OpenCall> open = new ArrayList<>(openCalls.values());
        for (OpenCall call : open) {
            call.end.cancel(false);
            endCall(call);
        }
        if (!open.isEmpty()) {
            LOG.info("Traffic: hung up {} open calls", open.size());
        }
    }

    private Duration callLength() {
        long min = settings.minCallLength().toMillis();
        long max = settings.maxCallLength().toMillis();
        return Duration.ofMillis(min == max ? min : min + random.nextLong(max - min + 1));
    }

    /**
     * Serializes and sends; {@code counter} counts the acknowledgement, and {@code then}, when
     * given, runs on the scheduler thread once the send is settled either way.
     */
    private <V> void publish(String topic, String key, Serializer<V> serializer, V value, AtomicLong counter, Runnable then) {
        try {
            byte[] bytes = serializer.serialize(topic, value);
            Callback settled = (metadata, error) -> {
                if (error == null) {
                    counter.incrementAndGet();
                } else {
                    failed(topic, key, error);
                }
                if (then != null) {
                    later(then, Duration.ZERO);
                }
            };
            producer.send(new ProducerRecord<>(topic, key, bytes), settled);
        } catch (RuntimeException e) {
            // Serialization (registry) or a closed or blocked producer: this record is lost, the traffic goes on.
            failed(topic, key, e);
            if (then != null) {
                then.run();
            }
        }
    }

    /** Runs a task on the scheduler thread after a delay; a no-op once stopped. Any thread. */
    private void later(Runnable task, Duration delay) {
        try {
            scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Stopped: late acknowledgements have nothing left to trigger.
        }
    }

    private void failed(String topic, String key, Exception error) {
        long failures = failed.incrementAndGet();
        long now = System.currentTimeMillis();
        long last = lastFailureLog.get();
        // At a thousand calls a second an outage would otherwise log thousands of lines a second.
        if (now - last >= FAILURE_LOG_INTERVAL_MILLIS && lastFailureLog.compareAndSet(last, now)) {
            LOG.warn("Traffic: could not publish to {} (key {}); {} records lost so far, next report in {} s",
                    topic, key, failures, FAILURE_LOG_INTERVAL_MILLIS / 1000, error);
        }
    }

    private static long tickMillis(double callsPerSecond) {
        // About four ticks per average gap, between 5 ms and 100 ms: smooth at high rates, idle at low.
        return Math.max(5, Math.min(100, Math.round(250 / callsPerSecond)));
    }

    /** A call between its STARTED and its ENDED. */
    private static final class OpenCall {
        final CallEvent started;
        ScheduledFuture<?> end;

        OpenCall(CallEvent started) {
            this.started = started;
        }
    }
}
