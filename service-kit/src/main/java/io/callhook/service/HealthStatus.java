package io.callhook.service;

import java.util.Objects;

/**
 * What one readiness check reports: up, or down with a reason an operator can act on
 * (e.g. {@code REBALANCING}, {@code no connection to kafka-1:9092}).
 */
public sealed interface HealthStatus {

    /** The check passes. */
    record Up() implements HealthStatus {
    }

    /**
     * The check fails.
     *
     * @param reason why, shown as the check's value in {@code /health/ready}
     */
    record Down(String reason) implements HealthStatus {
        public Down {
            Objects.requireNonNull(reason, "reason");
        }
    }

    static HealthStatus up() {
        return new Up();
    }

    static HealthStatus down(String reason) {
        return new Down(reason);
    }

    default boolean isUp() {
        return this instanceof Up;
    }
}
