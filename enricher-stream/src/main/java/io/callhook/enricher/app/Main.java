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
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar enricher-stream.jar [--config file]}: the only place that wires the
 * enricher's parts. Configuration: defaults, then the file, then the environment.
 */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        AvroTrust.install();
        ConfigLoader.Loaded<EnricherConfig> startup = ConfigLoader.loadOrExit(EnricherConfig.keys(), args, EnricherConfig::from);
        Config loaded = startup.config();
        EnricherConfig config = startup.settings();

        Shutdown shutdown = Shutdown.onJvmExit("enricher");
        Metrics metrics = shutdown.register("metrics", Metrics.create("enricher"));
        GeoLookup geo = shutdown.register("geo", GeoLookups.open(config.geoDatabase()));
        OpsServer ops = shutdown.register("ops endpoints", OpsServer.withOwnVertx(metrics.registry()));
        EnricherApp app = shutdown.register("kafka streams",
                EnricherApp.start(config, geo, AllowedAddresses.urlCheck(AllowedAddresses.policy(loaded)), metrics.registry()));
        ops.addReadinessCheck("kafka-streams", app::readiness);
        ops.start(config.opsHost(), config.opsPort()).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        LOG.info("Enricher {} started", config.applicationId());
    }
}
