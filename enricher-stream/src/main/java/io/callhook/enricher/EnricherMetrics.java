package io.callhook.enricher;

import io.callhook.model.Product;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * The enricher's own counters (Kafka Streams' metrics are bound separately). Labels are bounded:
 * outcome and product, never an account or subscription id.
 */
public final class EnricherMetrics {

    private final Counter callsMatched;
    private final Counter callsWithoutSubscription;
    private final Counter threadReplacements;
    private final Map<Product, Counter> webhooks = new EnumMap<>(Product.class);
    private final MeterRegistry registry;

    public EnricherMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.callsMatched = calls(registry, "matched");
        this.callsWithoutSubscription = calls(registry, "no_subscription");
        this.threadReplacements = Counter.builder("callhook.enricher.stream.thread.replacements")
                .description("Stream threads that failed and were replaced; a rising count is a failure loop")
                .register(registry);
        for (Product product : Product.values()) {
            webhooks.put(product, Counter.builder("callhook.enricher.webhooks")
                    .description("WebhookRequests rendered, one per call event and matching subscription")
                    .tag("product", product.name())
                    .register(registry));
        }
    }

    private static Counter calls(MeterRegistry registry, String outcome) {
        return Counter.builder("callhook.enricher.calls")
                .description("Valid call events processed, by whether any subscription matched")
                .tag("outcome", outcome)
                .register(registry);
    }

    public void callMatched(boolean anySubscription) {
        (anySubscription ? callsMatched : callsWithoutSubscription).increment();
    }

    /** A record refused by the checks (invalid input, or a test call whose target never came). */
    public void deadLettered(String reasonCode) {
        Counter.builder("callhook.enricher.dead_letters").description("Input records sent to the dead-letter topic, by reason")
                .tag("reason", reasonCode).register(registry).increment();
    }

    /** A stream thread died on an error the dead-letter handlers do not cover, and is replaced. */
    public void threadReplaced() {
        threadReplacements.increment();
    }

    public void webhooksRendered(Product product, int count) {
        webhooks.get(product).increment(count);
    }
}
