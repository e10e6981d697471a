package io.callhook.service;

import io.callhook.service.kafka.BrokerReachability;
import io.callhook.service.kafka.KafkaSettings;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start every service's {@code main} shares, around the wiring that is its own: an orderly
 * shutdown on SIGTERM and SIGINT (things close in the reverse order of their registration), the
 * metrics registry, a Vert.x, and the ops endpoints, which listen before the service starts (so
 * a second instance on the same port fails before it reaches Kafka, and liveness answers during
 * a long start) and report "starting" until it has. A start that fails exits with status 1
 * instead of leaving a process that will never be ready.
 */
public final class ServiceLaunch {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceLaunch.class);

    private ServiceLaunch() {
    }

    /** What a service's wiring gets to build on; whatever it opens it registers with {@code shutdown}. */
    public record Context(Config config, Shutdown shutdown, PrometheusMeterRegistry metrics, Vertx vertx, OpsServer ops) {

        /**
         * Adds the readiness check {@code kafka}: down while no broker answers (see
         * {@link BrokerReachability}), which the service's own check would not show.
         */
        public void readyOnlyWhileBrokersAnswer(KafkaSettings kafka) {
            BrokerReachability brokers = shutdown.register("kafka check", BrokerReachability.started(kafka));
            ops.addReadinessCheck("kafka", brokers::health);
        }
    }

    /** A service's own wiring: starts it and returns it, ready to be asked for its readiness. */
    @FunctionalInterface
    public interface Starter<A extends AutoCloseable> {
        A start(Context context) throws Exception;
    }

    /**
     * Starts the service named {@code name} (its metrics' prefix and shutdown's name; {@code title}
     * for the log) with its ops endpoints on {@code ops}, where its readiness is the check
     * {@code check}; returns it once started. Does not return when the start fails.
     */
    public static <A extends AutoCloseable> A run(String name, String title, Config config, HostPort ops,
            String check, Function<A, HealthStatus> readiness, Starter<A> starter) {
        Shutdown shutdown = Shutdown.onJvmExit(name);
        try {
            Metrics metrics = shutdown.register("metrics", Metrics.create(name));
            Vertx vertx = Vertx.vertx();
            shutdown.register("vertx", () -> vertx.close().await(10, TimeUnit.SECONDS));
            OpsServer opsServer = shutdown.register("ops endpoints", new OpsServer(vertx, metrics.registry()));
            StartingReadiness<A> app = new StartingReadiness<>(readiness);
            opsServer.addReadinessCheck(check, app);
            opsServer.start(ops.host(), ops.port()).await(30, TimeUnit.SECONDS);
            A started = app.set(shutdown.register(name, starter.start(new Context(config, shutdown, metrics.registry(), vertx, opsServer))));
            LOG.info("{} started", title);
            return started;
        } catch (Exception | Error e) {
            LOG.error("{} failed to start; exiting", title, e);
            System.exit(1);
            throw new IllegalStateException("exit", e); // not reached
        }
    }
}
