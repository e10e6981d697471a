package io.callhook.enricher.app;

import io.callhook.enricher.geo.GeoLookup;
import io.callhook.enricher.geo.GeoLookups;
import io.callhook.serde.AvroTrust;
import io.callhook.service.AllowedAddresses;
import io.callhook.service.Config;
import io.callhook.service.ConfigLoader;
import io.callhook.service.Metrics;
import io.callhook.service.OpsServer;
import io.callhook.service.Shutdown;
import io.callhook.service.StartingReadiness;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar enricher-stream.jar [--config file]}: the only place that wires the
 * enricher's parts. Configuration: defaults, then the file, then the environment. SIGTERM and
 * SIGINT close it in order (Kafka Streams commits and leaves its group first); a start that
 * fails exits with status 1 instead of leaving a process that will never be ready.
 */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        AvroTrust.install();
        ConfigLoader.Loaded<EnricherConfig> startup = ConfigLoader.loadOrExit(EnricherConfig.keys(), args, EnricherConfig::from);
        Config loaded = startup.config();
        EnricherConfig config = startup.settings();

        Shutdown shutdown = Shutdown.onJvmExit("enricher");
        try {
            Metrics metrics = shutdown.register("metrics", Metrics.create("enricher"));
            GeoLookup geo = shutdown.register("geo", GeoLookups.open(config.geoDatabase()));
            OpsServer ops = shutdown.register("ops endpoints", OpsServer.withOwnVertx(metrics.registry()));
            StartingReadiness<EnricherApp> app = new StartingReadiness<>(EnricherApp::readiness);
            ops.addReadinessCheck("kafka-streams", app);
            ops.start(config.opsHost(), config.opsPort()).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            app.set(shutdown.register("kafka streams",
                    EnricherApp.start(config, geo, AllowedAddresses.urlCheck(AllowedAddresses.policy(loaded)), metrics.registry())));
            LOG.info("Enricher {} started", config.applicationId());
        } catch (Exception | Error e) {
            LOG.error("Enricher failed to start; exiting", e);
            System.exit(1);
        }
    }
}
