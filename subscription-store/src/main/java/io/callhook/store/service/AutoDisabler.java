package io.callhook.store.service;

import io.callhook.model.Subscription;
import io.callhook.store.stats.FailingEndpoints;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Disables the subscriptions whose endpoints the counters report as failing for too long or as
 * gone (410). The counters' stream thread only hands the report over; the disable (a change of
 * the subscription as it stands, see {@link SubscriptionService#disableFailing} and
 * {@link SubscriptionService#disableGone}) runs on a thread of its own. A report of a
 * subscription already being handled, or one that finds the queue full, is dropped: the next
 * failed attempt (or 410) reports it again.
 */
public final class AutoDisabler implements FailingEndpoints, AutoCloseable {

    /** Counter of subscriptions the store disabled because their endpoint kept failing. */
    public static final String METRIC = "callhook.store.subscriptions.auto.disabled";
    /** Counter of subscriptions the store disabled because their endpoint answered 410 Gone. */
    public static final String GONE_METRIC = "callhook.store.subscriptions.gone.disabled";
    private static final Logger LOG = LoggerFactory.getLogger(AutoDisabler.class);

    private final SubscriptionService subscriptions;
    private final Duration after;
    private final Counter disabled;
    private final Counter goneDisabled;
    private final Set<String> inHand = ConcurrentHashMap.newKeySet();
    private final ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(1000), runnable -> {
                Thread thread = new Thread(runnable, "auto-disable");
                thread.setDaemon(true);
                return thread;
            });

    public AutoDisabler(SubscriptionService subscriptions, Duration after, MeterRegistry registry) {
        this.subscriptions = subscriptions;
        this.after = after;
        this.disabled = Counter.builder(METRIC)
                .description("Subscriptions disabled because every attempt to their endpoint failed for the auto-disable period")
                .register(registry);
        this.goneDisabled = Counter.builder(GONE_METRIC)
                .description("Subscriptions disabled because their endpoint answered 410 Gone")
                .register(registry);
    }

    @Override
    public void failingTooLong(String subscriptionId, Instant failingSince, Instant latestFailure) {
        inTurn(subscriptionId, disabled, "the next failed attempt",
                () -> subscriptions.disableFailing(subscriptionId, failingSince, latestFailure, after));
    }

    @Override
    public void gone(String subscriptionId, String gone, Instant attemptStarted) {
        inTurn(subscriptionId, goneDisabled, "the next 410", () -> subscriptions.disableGone(subscriptionId, gone, attemptStarted));
    }

    /**
     * Runs {@code disable} on the disabling thread unless the subscription is in hand already,
     * counting and logging a subscription it disabled.
     *
     * @param retry what reports the subscription again if this fails, for the log
     */
    private void inTurn(String subscriptionId, Counter counter, String retry, Supplier<Optional<Subscription>> disable) {
        if (!inHand.add(subscriptionId)) {
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    disable.get().ifPresent(subscription -> {
                        counter.increment();
                        LOG.info("Disabled subscription {} of account {}: {}", subscription.getId(), subscription.getAccountId(),
                                subscription.getDisabledReason());
                    });
                } catch (RuntimeException e) {
                    LOG.warn("Could not disable subscription {}; {} tries again: {}", subscriptionId, retry, e.getMessage());
                } finally {
                    inHand.remove(subscriptionId);
                }
            });
        } catch (RejectedExecutionException full) {
            inHand.remove(subscriptionId);
        }
    }

    @Override
    public void close() throws InterruptedException {
        executor.shutdown();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }
}
