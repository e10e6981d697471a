package io.callhook.service.kafka;

import io.callhook.service.HealthStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the brokers answer, asked every few seconds, as a readiness check. Kafka's clients wait
 * an outage out without a word (they retry; Kafka Streams stays RUNNING while its threads wait),
 * so without it a service would call itself ready while it can do nothing. Down once
 * {@link #FAILURES_TO_DOWN} questions in a row went unanswered (one slow answer is no outage),
 * up again at the first answer.
 */
public final class BrokerReachability implements AutoCloseable {

    /** One question to the brokers: returns once one answered within {@code within}; throws why not. */
    @FunctionalInterface
    public interface Probe {
        void ask(Duration within) throws Exception;
    }

    static final int FAILURES_TO_DOWN = 2;
    private static final Logger LOG = LoggerFactory.getLogger(BrokerReachability.class);
    private static final Duration EVERY = Duration.ofSeconds(2);
    private static final Duration WITHIN = Duration.ofSeconds(2);

    private final Probe probe;
    private final Duration within;
    private final Clock clock;
    private final AutoCloseable resource;
    private final ScheduledExecutorService scheduler;
    private int failures;
    private Instant failingSince;
    private volatile HealthStatus status = HealthStatus.up();

    /**
     * @param within   how long each question may take
     * @param resource what the probe uses, closed with this (e.g. its admin client)
     */
    public BrokerReachability(Probe probe, Duration within, Clock clock, AutoCloseable resource) {
        this.probe = probe;
        this.within = within;
        this.clock = clock;
        this.resource = resource;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "broker-reachability");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * The check a service runs: an admin client of its own (so that its questions never queue
     * behind the service's) asks for the cluster's brokers every 2 s, each question allowed 2 s;
     * an outage shows within about 6 s.
     */
    public static BrokerReachability started(KafkaSettings kafka) {
        Admin admin = Admin.create(kafka.clientConfig(Map.of()));
        Probe describeCluster = within -> admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) within.toMillis()))
                .nodes().get(within.toMillis() + 500, TimeUnit.MILLISECONDS);
        return new BrokerReachability(describeCluster, WITHIN, Clock.systemUTC(), () -> admin.close(Duration.ZERO)).start(EVERY);
    }

    /** Asks every {@code every} from now on. */
    public BrokerReachability start(Duration every) {
        scheduler.scheduleWithFixedDelay(this::check, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Up, or down with since when the brokers have not answered and the last reason. */
    public HealthStatus health() {
        return status;
    }

    /** One question; the scheduler's task, called directly by tests. */
    void check() {
        Instant asked = clock.instant();
        try {
            probe.ask(within);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            failures++;
            if (failingSince == null) {
                failingSince = asked;
            }
            if (failures >= FAILURES_TO_DOWN) {
                String reason = "no broker answers since " + failingSince + ": " + describe(e);
                if (status.isUp()) {
                    LOG.warn("Kafka unreachable, not ready until a broker answers: {}", reason);
                }
                status = HealthStatus.down(reason);
            }
            return;
        }
        if (!status.isUp()) {
            LOG.info("A broker answers again, after none did since {}", failingSince);
        }
        failures = 0;
        failingSince = null;
        status = HealthStatus.up();
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure instanceof ExecutionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    @Override
    public void close() throws Exception {
        scheduler.shutdownNow();
        resource.close();
    }
}
