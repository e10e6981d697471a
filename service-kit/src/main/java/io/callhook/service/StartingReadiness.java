package io.callhook.service;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The readiness check of a component that does not exist yet when the ops endpoints start:
 * down ("starting") until {@link #set} hands it over, then whatever the component reports.
 * The ops endpoints start first so that a second instance on the same port fails before it
 * reaches Kafka (where, as a static group member of the same name, it would fence the first),
 * and so that liveness answers during a long start.
 *
 * @param <T> the component
 */
public final class StartingReadiness<T> implements Supplier<HealthStatus> {

    private final Function<T, HealthStatus> check;
    private volatile T component;

    public StartingReadiness(Function<T, HealthStatus> check) {
        this.check = Objects.requireNonNull(check, "check");
    }

    /** Hands over the started component; returns it, for wiring in one line. */
    public T set(T started) {
        this.component = Objects.requireNonNull(started, "started");
        return started;
    }

    @Override
    public HealthStatus get() {
        T current = component;
        return current == null ? HealthStatus.down("starting") : check.apply(current);
    }
}
