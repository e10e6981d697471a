package io.callhook.enricher.app;

import io.callhook.enricher.geo.GeoLookup;
import io.callhook.enricher.geo.GeoLookups;
import io.callhook.serde.AvroTrust;
import io.callhook.service.AllowedAddresses;
import io.callhook.service.ConfigLoader;
import io.callhook.service.HostPort;
import io.callhook.service.ServiceLaunch;

/**
 * {@code java -jar enricher-stream.jar [--config file]}: the only place that wires the
 * enricher's parts. Configuration: defaults, then the file, then the environment. SIGTERM and
 * SIGINT close it in order (Kafka Streams commits and leaves its group first); a start that
 * fails exits with status 1 instead of leaving a process that will never be ready.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        AvroTrust.install();
        ConfigLoader.Loaded<EnricherConfig> startup = ConfigLoader.loadOrExit(EnricherConfig.keys(), args, EnricherConfig::from);
        EnricherConfig config = startup.settings();
        ServiceLaunch.run("enricher", "Enricher " + config.applicationId(), startup.config(),
                new HostPort(config.opsHost(), config.opsPort()), "kafka-streams", EnricherApp::readiness, context -> {
                    GeoLookup geo = context.shutdown().register("geo", GeoLookups.open(config.geoDatabase()));
                    context.readyOnlyWhileBrokersAnswer(config.kafka());
                    return EnricherApp.start(config, geo, AllowedAddresses.urlCheck(AllowedAddresses.policy(context.config())),
                            context.metrics());
                });
    }
}
