package io.callhook.service;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The Prometheus registry of a service: every meter tagged {@code service=<name>} (so dashboards
 * can tell the services apart behind one Prometheus job), with the JVM and process meters bound
 * (memory, GC, threads, class loading, processor, uptime, file descriptors, JVM info).
 * Services pass {@link #registry()} to their own code and to {@link OpsServer}.
 */
public final class Metrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry;
    // Kept to close: it listens to GC notifications, which would outlive the registry otherwise.
    private final JvmGcMetrics gcMetrics;

    private Metrics(PrometheusMeterRegistry registry, JvmGcMetrics gcMetrics) {
        this.registry = registry;
        this.gcMetrics = gcMetrics;
    }

    /**
     * Creates the registry.
     *
     * @param serviceName value of the {@code service} tag, e.g. {@code dispatcher-worker}
     */
    public static Metrics create(String serviceName) {
        if (serviceName == null || serviceName.isBlank()) {
            throw new IllegalArgumentException("a service name is needed for the service tag");
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Common tags first: they apply only to meters registered after them.
        registry.config().commonTags("service", serviceName);
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        return new Metrics(registry, gc);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Stops the GC listener and closes the registry. */
    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
