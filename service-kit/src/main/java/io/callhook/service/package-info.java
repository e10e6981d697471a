/**
 * What every Callhook service runs on: layered, validated config ({@link io.callhook.service.ConfigKey},
 * {@link io.callhook.service.ConfigLoader}, {@link io.callhook.service.Config}), the Prometheus registry
 * ({@link io.callhook.service.Metrics}), the ops endpoints ({@link io.callhook.service.OpsServer}) and an
 * orderly shutdown ({@link io.callhook.service.Shutdown}).
 *
 * <p>A service's {@code main} wires them, and nothing else does:
 * <pre>{@code
 * static final ConfigKey<Integer> OPS_PORT = OpsServer.portKey(9401);
 *
 * public static void main(String[] args) {
 *     Shutdown shutdown = Shutdown.onJvmExit("dispatcher-worker");
 *     Config config = ConfigLoader.loadFromSystem(List.of(OpsServer.HOST, OPS_PORT, BOOTSTRAP, ...), args);
 *     Metrics metrics = shutdown.register("metrics", Metrics.create("dispatcher-worker"));
 *     Vertx vertx = Vertx.vertx();
 *     shutdown.register("vertx", () -> vertx.close().await(10, TimeUnit.SECONDS));
 *     OpsServer ops = shutdown.register("ops server", new OpsServer(vertx, metrics.registry()));
 *     ops.addReadinessCheck("kafka-consumer", worker::health);
 *     ops.start(config.get(OpsServer.HOST), config.get(OPS_PORT)).await();
 * }
 * }</pre>
 * Shutdown closes in reverse order: the ops server first, then Vert.x, then the registry.
 */
package io.callhook.service;
