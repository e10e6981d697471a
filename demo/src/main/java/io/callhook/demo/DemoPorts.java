package io.callhook.demo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The demo's fixed, documented ports, each overridable by an environment variable (in
 * parentheses): so that bookmarks and the README stay right, and a clash can be moved.
 */
public record DemoPorts(int kafka, int kafkaController, int registry, int store, int inspector,
                        int enricherOps, int dispatcherOps, int storeOps) {

    /** Defaults, overridden by CALLHOOK_DEMO_*_PORT variables. */
    public static DemoPorts from(Map<String, String> env) {
        return new DemoPorts(
                port(env, "CALLHOOK_DEMO_KAFKA_PORT", 19092),
                port(env, "CALLHOOK_DEMO_KAFKA_CONTROLLER_PORT", 19093),
                port(env, "CALLHOOK_DEMO_REGISTRY_PORT", 18081),
                port(env, "CALLHOOK_DEMO_STORE_PORT", 8480),
                port(env, "CALLHOOK_DEMO_INSPECTOR_PORT", 8490),
                port(env, "CALLHOOK_DEMO_ENRICHER_OPS_PORT", 9401),
                port(env, "CALLHOOK_DEMO_DISPATCHER_OPS_PORT", 9402),
                port(env, "CALLHOOK_DEMO_STORE_OPS_PORT", 9403));
    }

    /** Each port under the variable that moves it, in the order the demo opens them. */
    public Map<String, Integer> byVariable() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("CALLHOOK_DEMO_KAFKA_PORT", kafka);
        ports.put("CALLHOOK_DEMO_KAFKA_CONTROLLER_PORT", kafkaController);
        ports.put("CALLHOOK_DEMO_REGISTRY_PORT", registry);
        ports.put("CALLHOOK_DEMO_STORE_PORT", store);
        ports.put("CALLHOOK_DEMO_INSPECTOR_PORT", inspector);
        ports.put("CALLHOOK_DEMO_ENRICHER_OPS_PORT", enricherOps);
        ports.put("CALLHOOK_DEMO_DISPATCHER_OPS_PORT", dispatcherOps);
        ports.put("CALLHOOK_DEMO_STORE_OPS_PORT", storeOps);
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
