package io.callhook.demo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The demo's fixed, documented ports, each overridable by an environment variable (in
 * parentheses): so that bookmarks and the README stay right, and a clash can be moved.
 */
public record DemoPorts(int kafka, int kafkaController, int registry, int store, int inspector,
                        int enricherOps, int dispatcherOps, int storeOps) {

    private static final String KAFKA = "CALLHOOK_DEMO_KAFKA_PORT";
    private static final String KAFKA_CONTROLLER = "CALLHOOK_DEMO_KAFKA_CONTROLLER_PORT";
    private static final String REGISTRY = "CALLHOOK_DEMO_REGISTRY_PORT";
    private static final String STORE = "CALLHOOK_DEMO_STORE_PORT";
    private static final String INSPECTOR = "CALLHOOK_DEMO_INSPECTOR_PORT";
    private static final String ENRICHER_OPS = "CALLHOOK_DEMO_ENRICHER_OPS_PORT";
    private static final String DISPATCHER_OPS = "CALLHOOK_DEMO_DISPATCHER_OPS_PORT";
    private static final String STORE_OPS = "CALLHOOK_DEMO_STORE_OPS_PORT";

    /** Defaults, overridden by CALLHOOK_DEMO_*_PORT variables. */
    public static DemoPorts from(Map<String, String> env) {
        return new DemoPorts(
                port(env, KAFKA, 19092),
                port(env, KAFKA_CONTROLLER, 19093),
                port(env, REGISTRY, 18081),
                port(env, STORE, 8480),
                port(env, INSPECTOR, 8490),
                port(env, ENRICHER_OPS, 9401),
                port(env, DISPATCHER_OPS, 9402),
                port(env, STORE_OPS, 9403));
    }

    /** Each port under the variable that moves it, in the order the demo opens them. */
    public Map<String, Integer> byVariable() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put(KAFKA, kafka);
        ports.put(KAFKA_CONTROLLER, kafkaController);
        ports.put(REGISTRY, registry);
        ports.put(STORE, store);
        ports.put(INSPECTOR, inspector);
        ports.put(ENRICHER_OPS, enricherOps);
        ports.put(DISPATCHER_OPS, dispatcherOps);
        ports.put(STORE_OPS, storeOps);
        return ports;
    }

    private static int port(Map<String, String> env, String name, int defaultPort) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return defaultPort;
        }
        try {
            int port = Integer.parseInt(value.strip());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " = '" + value + "' is not a port number (1..65535)");
        }
    }
}
