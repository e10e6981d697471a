package io.callhook.store.app;

import io.callhook.serde.AvroTrust;
import io.callhook.service.AllowedAddresses;
import io.callhook.service.ConfigLoader;
import io.callhook.service.HostPort;
import io.callhook.service.ServiceLaunch;

/**
 * {@code java -jar subscription-store.jar [--config file]}: the only place that wires the store's
 * parts. SIGTERM and SIGINT close it in order (the API first, then the counters' Kafka Streams,
 * which commits and leaves its group); a start that fails exits with status 1.
 */
public final class Main {


    private Main() {
    }

    public static void main(String[] args) {
        AvroTrust.install();
        ConfigLoader.Loaded<StoreConfig> startup = ConfigLoader.loadOrExit(StoreConfig.keys(), args, StoreConfig::from);
        StoreConfig config = startup.settings();
        ServiceLaunch.run("store", "Subscription store", startup.config(), new HostPort(config.opsHost(), config.opsPort()),
                "store", StoreApp::readiness,
                context -> {
                    context.readyOnlyWhileBrokersAnswer(config.kafka());
                    return StoreApp.start(config, AllowedAddresses.policy(context.config()), context.vertx(), context.metrics());
                });
    }
}
