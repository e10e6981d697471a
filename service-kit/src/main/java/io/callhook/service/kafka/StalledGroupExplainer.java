package io.callhook.service.kafka;

import io.callhook.service.kafka.OffsetHolders.OpenTransaction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says why a Kafka Streams application stays out of RUNNING when the usual reasons (a rebalance,
 * restoring state) have had their time: once it has not run for {@code after}, it asks the broker
 * every {@code every} which open transactions hold the application's committed offsets
 * ({@link OffsetHolders}), logs what it finds once per change, and gives it to the readiness
 * answer, so that an operator (or the demo, which prints the last answer when a service does not
 * become ready) sees the transaction to look at instead of a bare {@code REBALANCING}.
 */
public final class StalledGroupExplainer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StalledGroupExplainer.class);
    private static final String NONE_FOUND = "no open transaction holds its committed offsets";

    private final OffsetHolders holders;
    private final List<String> groupIds;
    private final BooleanSupplier running;
    private final Duration after;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private Instant notRunningSince;
    // What was logged during this stall (null: nothing yet).
    private List<String> lastLogged;
    private volatile String explanation = "";

    /**
     * @param groupIds the application's consumer groups (one per Kafka Streams application)
     * @param running  whether the application processes now (Kafka Streams state RUNNING)
     */
    public StalledGroupExplainer(OffsetHolders holders, List<String> groupIds, BooleanSupplier running, Duration after,
                                 Clock clock) {
        this.holders = holders;
        this.groupIds = List.copyOf(groupIds);
        this.running = running;
        this.after = after;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "stalled-group-explainer");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * The explainer a service runs beside its Kafka Streams applications: it starts looking after
     * 30 s out of RUNNING (a restart with static membership runs within seconds; restoring a large
     * state can take longer, and then the log says no transaction is in the way) and looks again
     * every 5 s.
     */
    public static StalledGroupExplainer started(Admin admin, List<String> groupIds, BooleanSupplier running) {
        Clock clock = Clock.systemUTC();
        return new StalledGroupExplainer(new AdminOffsetHolders(admin, Duration.ofSeconds(10), clock), groupIds, running,
                Duration.ofSeconds(30), clock).start(Duration.ofSeconds(5));
    }

    /** Looks every {@code every} from now on. */
    public StalledGroupExplainer start(Duration every) {
        scheduler.scheduleWithFixedDelay(this::check, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * What holds the application, to append to its readiness reason: empty while it runs or has
     * not been out of RUNNING for long, else starting with "; " (also when no transaction does).
     */
    public String explanation() {
        return explanation;
    }

    /** One look; the scheduler's task, called directly by tests. */
    void check() {
        if (running.getAsBoolean()) {
            notRunningSince = null;
            lastLogged = null;
            explanation = "";
            return;
        }
        Instant now = clock.instant();
        if (notRunningSince == null) {
            notRunningSince = now;
        }
        Duration stalled = Duration.between(notRunningSince, now);
        if (stalled.compareTo(after) < 0) {
            return;
        }
        List<String> parts = new ArrayList<>();
        // Logged when the holders change, not each time their ages do.
        List<String> holderKeys = new ArrayList<>();
        for (String group : groupIds) {
            try {
                List<OpenTransaction> open = holders.holding(group);
                if (!open.isEmpty()) {
                    parts.add("committed offsets of group '" + group + "' held by "
                            + String.join(", ", open.stream().map(OpenTransaction::describe).toList()));
                    open.forEach(holder -> holderKeys.add(group + "/" + holder.transactionalId() + "/" + holder.state()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                // The broker not answering is itself the reason worth showing.
                parts.add("could not ask the broker about group '" + group + "': " + e);
                holderKeys.add(group + "/" + e.getClass().getName());
            }
        }
        // Nothing found says something too: what holds it is not a transaction (e.g. a long restore).
        explanation = "; " + (parts.isEmpty() ? NONE_FOUND : String.join("; ", parts));
        if (!holderKeys.equals(lastLogged)) {
            LOG.warn("Not processing for {} s{}", stalled.toSeconds(), explanation);
            lastLogged = holderKeys;
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
