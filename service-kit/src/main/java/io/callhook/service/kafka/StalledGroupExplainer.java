package io.callhook.service.kafka;

import io.callhook.service.kafka.OffsetHolders.OpenTransaction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * every {@code every} what state each of the application's groups is in ({@link GroupStates}) and
 * which open transactions hold their committed offsets ({@link OffsetHolders}), logs what it finds
 * once per change, and gives it to the readiness answer, so that an operator (or the demo, which
 * prints the last answer when a service does not become ready) sees what to look at instead of a
 * bare {@code REBALANCING}: a group still rebalancing, a transaction in the way, or a coordinator
 * that does not answer.
 */
public final class StalledGroupExplainer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StalledGroupExplainer.class);
    private static final String NOT_JOINED = "unknown to its coordinator (no members, no offsets)";
    private static final String NONE_FOUND = "no open transaction holds their committed offsets";

    private final OffsetHolders holders;
    private final GroupStates groups;
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
    public StalledGroupExplainer(OffsetHolders holders, GroupStates groups, List<String> groupIds, BooleanSupplier running,
                                 Duration after, Clock clock) {
        this.holders = holders;
        this.groups = groups;
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
        Duration askFor = Duration.ofSeconds(10);
        return new StalledGroupExplainer(new AdminOffsetHolders(admin, askFor, clock), new AdminGroupStates(admin, askFor),
                groupIds, running, Duration.ofSeconds(30), clock).start(Duration.ofSeconds(5));
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
        List<String> states = new ArrayList<>();
        List<String> held = new ArrayList<>();
        // Logged when a group's state or the holders change, not each time the holders' ages do.
        List<String> keys = new ArrayList<>();
        boolean allAnswered = true;
        for (String group : groupIds) {
            try {
                Optional<GroupStates.GroupStatus> status = groups.status(group);
                states.add("group '" + group + "' " + status.map(GroupStates.GroupStatus::describe).orElse(NOT_JOINED));
                keys.add(group + "/" + status);
                List<OpenTransaction> open = holders.holding(group);
                if (!open.isEmpty()) {
                    held.add("committed offsets of group '" + group + "' held by "
                            + String.join(", ", open.stream().map(OpenTransaction::describe).toList()));
                    open.forEach(holder -> keys.add(group + "/" + holder.transactionalId() + "/" + holder.state()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                // The broker not answering is itself the reason worth showing.
                states.add("could not ask the broker about group '" + group + "': " + e);
                keys.add(group + "/" + e.getClass().getName());
                allAnswered = false;
            }
        }
        List<String> parts = new ArrayList<>(states);
        parts.addAll(held);
        if (held.isEmpty() && allAnswered) {
            // Says something too: the wait is elsewhere (the rebalance the group states show, a long restore).
            parts.add(NONE_FOUND);
        }
        explanation = "; " + String.join("; ", parts);
        if (!keys.equals(lastLogged)) {
            LOG.warn("Not processing for {} s{}", stalled.toSeconds(), explanation);
            lastLogged = keys;
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
