package io.callhook.store.app;

import io.callhook.serde.AvroTrust;
import io.callhook.service.AllowedAddresses;
import io.callhook.service.Config;
import io.callhook.service.ConfigLoader;
import io.callhook.service.Metrics;
import io.callhook.service.OpsServer;
import io.callhook.service.Shutdown;
import io.callhook.service.StartingReadiness;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar subscription-store.jar [--config file]}: the only place that wires the store's
 * parts. SIGTERM and SIGINT close it in order (the API first, then the counters' Kafka Streams,
 * which commits and leaves its group); a start that fails exits with status 1.
 */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        AvroTrust.install();
        ConfigLoader.Loaded<StoreConfig> startup = ConfigLoader.loadOrExit(StoreConfig.keys(), args, StoreConfig::from);
        Config loaded = startup.config();
        StoreConfig config = startup.settings();
        Shutdown shutdown = Shutdown.onJvmExit("store");
        try {
            Metrics metrics = shutdown.register("metrics", Metrics.create("store"));
            Vertx vertx = Vertx.vertx();
            shutdown.register("vertx", () -> vertx.close().await(10, TimeUnit.SECONDS));
            OpsServer ops = shutdown.register("ops endpoints", new OpsServer(vertx, metrics.registry()));
            StartingReadiness<StoreApp> app = new StartingReadiness<>(StoreApp::readiness);
            ops.addReadinessCheck("store", app);
            ops.start(config.opsHost(), config.opsPort()).await(30, TimeUnit.SECONDS);
            app.set(shutdown.register("store", StoreApp.start(config, AllowedAddresses.policy(loaded), vertx, metrics.registry())));
            LOG.info("Subscription store started");
        } catch (Exception | Error e) {
            LOG.error("Subscription store failed to start; exiting", e);
            System.exit(1);
        }
    }
}
