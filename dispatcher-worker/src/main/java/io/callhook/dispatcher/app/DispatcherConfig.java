package io.callhook.dispatcher.app;

import io.callhook.dispatcher.engine.EngineConfig;
import io.callhook.dispatcher.http.SenderConfig;
import io.callhook.dispatcher.retry.RetrySchedule;
import io.callhook.service.AllowedAddresses;
import io.callhook.service.Config;
import io.callhook.service.ConfigKey;
import io.callhook.service.OpsServer;
import io.callhook.service.kafka.KafkaSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * Every setting of the dispatcher, each key documented where it is defined (here, in
 * {@link KafkaSettings}, {@link SenderConfig}, {@link EngineConfig} and {@link RetrySchedule}).
 */
public record DispatcherConfig(KafkaSettings kafka, String groupId, SenderConfig sender, EngineConfig engine,
                               RetrySchedule schedule, String opsHost, int opsPort) {

    public static final ConfigKey<String> GROUP_ID = ConfigKey.string("callhook.dispatcher.group-id",
            "Consumer group of the dispatcher instances: they share the outbound and retry partitions.")
            .withDefault("callhook-dispatcher");
    public static final ConfigKey<Integer> OPS_PORT = OpsServer.portKey(9402);

    public static List<ConfigKey<?>> keys() {
        List<ConfigKey<?>> keys = new ArrayList<>(KafkaSettings.keys());
        keys.add(GROUP_ID);
        keys.addAll(SenderConfig.KEYS);
        keys.addAll(EngineConfig.KEYS);
        keys.addAll(List.of(RetrySchedule.KEY, OpsServer.HOST, OPS_PORT, AllowedAddresses.KEY));
        return keys;
    }

    public static DispatcherConfig from(Config config) {
        return new DispatcherConfig(KafkaSettings.from(config, config.get(OPS_PORT)), config.get(GROUP_ID), SenderConfig.from(config),
                EngineConfig.from(config), config.get(RetrySchedule.KEY), config.get(OpsServer.HOST), config.get(OPS_PORT));
    }
}
