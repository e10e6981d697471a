package io.callhook.dispatcher;

import io.callhook.model.AttemptOutcome;
import io.callhook.model.Product;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The dispatcher's counters, timers and gauges, exported to Prometheus. Labels are bounded:
 * outcome, product, status class, test, tier, reason; never a URL or a subscription id.
 * Deliveries carry {@code test="true"} for the webhooks of "send test webhook", so that
 * dashboards and alerts can keep them apart from real traffic.
 */
public final class DispatcherMetrics {

    private final MeterRegistry registry;
    private final Timer attemptLatency;
    private final Timer endToEnd;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public DispatcherMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.attemptLatency = Timer.builder("callhook.dispatcher.attempt.latency")
                .description("Time from sending a webhook to its response (or failure)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        this.endToEnd = Timer.builder("callhook.dispatcher.end_to_end.latency")
                .description("Time from the call event to its webhook being delivered")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5)).maximumExpectedValue(Duration.ofHours(48))
                .register(registry);
    }

    /** Gauges read from the engine: requests in flight and queued, and breakers by state. */
    public void bindEngine(Supplier<Number> inFlight, Supplier<Number> queued, Map<String, Supplier<Number>> breakersByState) {
        Gauge.builder("callhook.dispatcher.in_flight", inFlight).description("Webhook requests sent and not yet answered")
                .register(registry);
        Gauge.builder("callhook.dispatcher.queued", queued).description("Webhook requests read and waiting for their endpoint")
                .register(registry);
        breakersByState.forEach((state, count) -> Gauge.builder("callhook.dispatcher.circuit_breakers", count)
                .description("Endpoints' circuit breakers by state").tag("state", state).register(registry));
    }

    public void attempt(Product product, boolean test, AttemptOutcome outcome, Integer status, Duration latency) {
        counter("callhook.dispatcher.deliveries", "Delivery attempts by outcome, product, HTTP status class and whether a test",
                "outcome", outcome.name().toLowerCase(Locale.ROOT), "product", product.name(), "status_class", statusClass(status),
                "test", Boolean.toString(test))
                .increment();
        if (latency != null) {
            attemptLatency.record(latency);
        }
    }

    public void delivered(Duration sinceEvent) {
        if (!sinceEvent.isNegative()) {
            endToEnd.record(sinceEvent);
        }
    }

    public void retryScheduled(String tier) {
        counter("callhook.dispatcher.retries.scheduled", "Retries handed to a retry tier", "tier", tier).increment();
    }

    public void deadLettered(String reason) {
        counter("callhook.dispatcher.dead_letters", "Requests given up on, by reason", "reason", reason).increment();
    }

    public void deferred(String reason) {
        counter("callhook.dispatcher.deferred", "Requests sent to a retry tier without an HTTP attempt (the endpoint's "
                + "breaker open, or its lane full)", "reason", reason).increment();
    }

    public void dropped(String reason) {
        counter("callhook.dispatcher.dropped", "Requests dropped because their subscription was deleted",
                "reason", reason).increment();
    }

    private Counter counter(String name, String description, String... tags) {
        String key = name + String.join(",", tags);
        return counters.computeIfAbsent(key, k -> Counter.builder(name).description(description).tags(tags).register(registry));
    }

    static String statusClass(Integer status) {
        return status == null ? "none" : (status / 100) + "xx";
    }
}
