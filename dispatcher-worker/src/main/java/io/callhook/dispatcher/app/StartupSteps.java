package io.callhook.dispatcher.app;

import io.callhook.domain.SubscriptionView;
import io.callhook.serde.RegistryFailures;
import io.callhook.service.HealthStatus;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the dispatcher waits for before it delivers, each waited out rather than fatal: the
 * schemas it writes registered (the registry may be down when it starts), then the subscriptions
 * read. Runs on the dispatch loop's thread, before the loop; says where it stands for readiness.
 */
final class StartupSteps {

    private static final Logger LOG = LoggerFactory.getLogger(StartupSteps.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(30);

    /** Registers the schemas the service writes; throws when the registry does not take them. */
    @FunctionalInterface
    interface Registration {
        void register() throws InterruptedException;
    }

    private enum Phase { STARTING, DONE, CANCELLED }

    private final Registration registration;
    private final String registryUrl;
    private final SubscriptionView subscriptions;
    private final Runnable onDone;
    /** Down while registering, with what holds it up; null once registered. */
    private volatile HealthStatus registering = HealthStatus.down("registering schemas");
    private Phase phase = Phase.STARTING; // guarded by this

    /**
     * @param onDone runs once both steps are done (not when cancelled)
     */
    StartupSteps(Registration registration, String registryUrl, SubscriptionView subscriptions, Runnable onDone) {
        this.registration = registration;
        this.registryUrl = registryUrl;
        this.subscriptions = subscriptions;
        this.onDone = onDone;
    }

    /** Down with the step under way and what holds it up (the view says that itself); up once both are done. */
    HealthStatus status() {
        HealthStatus registration = registering;
        return registration != null ? registration : subscriptions.health();
    }

    /** Waits until both steps are done, or {@link #cancel} stops the wait. */
    void awaitPrerequisites() {
        try {
            registerSchemas();
            registering = null;
            while (!subscriptions.awaitCaughtUp(Duration.ofSeconds(1))) {
                // The view's own health says what it waits for (e.g. the registry); readiness shows it.
            }
        } catch (InterruptedException cancelled) {
            // close() while starting
        }
        synchronized (this) {
            if (phase == Phase.STARTING) {
                phase = Phase.DONE;
                onDone.run();
            }
            // A cancel's interrupt must not reach the Kafka consumer the loop uses next.
            Thread.interrupted();
        }
    }

    /** Stops waiting, if still waiting on {@code thread}. */
    synchronized void cancel(Thread thread) {
        if (phase == Phase.STARTING) {
            phase = Phase.CANCELLED;
            thread.interrupt();
        }
    }

    private void registerSchemas() throws InterruptedException {
        Duration wait = FIRST_RETRY;
        while (true) {
            try {
                registration.register();
                return;
            } catch (RuntimeException e) {
                boolean outage = RegistryFailures.isInfrastructure(e);
                registering = HealthStatus.down("cannot register schemas at " + registryUrl
                        + (outage ? " (registry unavailable)" : "") + ": " + e.getMessage());
                if (outage) {
                    LOG.warn("Schema registry at {} unavailable, registering again in {} s: {}", registryUrl, wait.toSeconds(), e.toString());
                } else {
                    LOG.error("The schema registry at {} refused our schemas, trying again in {} s", registryUrl, wait.toSeconds(), e);
                }
                Thread.sleep(wait.toMillis());
                wait = wait.multipliedBy(2).compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : wait.multipliedBy(2);
            }
        }
    }
}
