package io.callhook.deploy;

import io.callhook.dispatcher.app.DispatcherApp;
import io.callhook.dispatcher.app.DispatcherConfig;
import io.callhook.dispatcher.engine.EngineConfig;
import io.callhook.dispatcher.http.SenderConfig;
import io.callhook.dispatcher.retry.RetrySchedule;
import io.callhook.enricher.app.EnricherApp;
import io.callhook.enricher.app.EnricherConfig;
import io.callhook.enricher.geo.GeoLookups;
import io.callhook.launch.ChildProcess;
import io.callhook.net.AddressPolicy;
import io.callhook.serde.AvroSerdes;
import io.callhook.serde.RegistryConfig;
import io.callhook.service.AllowedAddresses;
import io.callhook.service.Metrics;
import io.callhook.service.OpsServer;
import io.callhook.service.kafka.KafkaSettings;
import io.callhook.service.kafka.TopicLayout;
import io.callhook.store.app.StoreApp;
import io.callhook.store.app.StoreConfig;
import io.callhook.testkit.Infra;
import io.callhook.testkit.ScratchDirs;
import io.callhook.topic.TopicNames;
import io.callhook.topic.Topics;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three services in this JVM as {@code Main} wires them, on the real broker and registry:
 * each with its own Prometheus registry ({@code service} tag as in production) and its own ops
 * endpoints on a free loopback port. Webhooks may go to loopback, as in the local demo.
 */
final class Pipeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    static final AddressPolicy LOOPBACK = AddressPolicy.allowing("127.0.0.0/8");
    /** The store's admin token here. */
    static final String ADMIN_TOKEN = "admin-token-for-tests-0123456789abcdef";

    final TopicNames names;
    final Topics topics;
    final EnricherApp enricher;
    final DispatcherApp dispatcher;
    final StoreApp store;
    /** Ops endpoints' ports by the service's compose name. */
    final Map<String, Integer> opsPorts;
    /** The store's API, e.g. {@code http://127.0.0.1:41234}. */
    final String storeUrl;
    private final OpsServer dispatcherOps;
    private final Deque<AutoCloseable> owned;

    private Pipeline(TopicNames names, Topics topics, EnricherApp enricher, DispatcherApp dispatcher, StoreApp store,
                     Map<String, Integer> opsPorts, String storeUrl, OpsServer dispatcherOps, Deque<AutoCloseable> owned) {
        this.names = names;
        this.topics = topics;
        this.enricher = enricher;
        this.dispatcher = dispatcher;
        this.store = store;
        this.opsPorts = opsPorts;
        this.storeUrl = storeUrl;
        this.dispatcherOps = dispatcherOps;
        this.owned = owned;
    }

    /**
     * Starts enricher, dispatcher and store on topics prefixed with {@code prefix}.
     *
     * @param schedule the dispatcher's retry schedule (short, so retries and dead letters happen in the test)
     * @param engine   the dispatcher's lanes and breakers
     */
    static Pipeline start(Infra infra, String prefix, RetrySchedule schedule, EngineConfig engine) throws Exception {
        TopicNames names = TopicNames.DEFAULTS.withPrefix(prefix);
        RegistryConfig registry = new RegistryConfig(infra.registryBaseUrl(), true);
        KafkaSettings kafka = new KafkaSettings(infra.bootstrapServers(), registry, names, new TopicLayout(true, 3, (short) -1),
                Map.of());
        Deque<AutoCloseable> owned = new ArrayDeque<>();
        try {
            Metrics enricherMetrics = own(owned, Metrics.create("enricher"));
            EnricherApp enricher = own(owned, EnricherApp.start(new EnricherConfig(kafka, prefix + "enricher", 1,
                    Optional.of(ScratchDirs.create("dash-enricher")), Duration.ofMillis(100), Optional.empty(),
                    "127.0.0.1", 0), GeoLookups.open(Optional.empty()), AllowedAddresses.urlCheck(LOOPBACK),
                    enricherMetrics.registry()));
            OpsServer enricherOps = own(owned, OpsServer.withOwnVertx(enricherMetrics.registry()));
            enricherOps.addReadinessCheck("kafka-streams", enricher::readiness);
            int enricherPort = enricherOps.start("127.0.0.1", 0).await();

            Metrics dispatcherMetrics = own(owned, Metrics.create("dispatcher"));
            Vertx dispatcherVertx = Vertx.vertx();
            owned.push(() -> dispatcherVertx.close().await());
            DispatcherApp dispatcher = own(owned, DispatcherApp.start(new DispatcherConfig(kafka, prefix + "dispatcher",
                    SenderConfig.defaults(), engine, schedule, "127.0.0.1", 0), LOOPBACK, dispatcherVertx,
                    dispatcherMetrics.registry()));
            OpsServer dispatcherOps = own(owned, new OpsServer(dispatcherVertx, dispatcherMetrics.registry()));
            dispatcherOps.addReadinessCheck("dispatcher", dispatcher::readiness);
            int dispatcherPort = dispatcherOps.start("127.0.0.1", 0).await();

            Metrics storeMetrics = own(owned, Metrics.create("store"));
            Vertx storeVertx = Vertx.vertx();
            owned.push(() -> storeVertx.close().await());
            int storeHttpPort = ChildProcess.freePort();
            StoreApp store = own(owned, StoreApp.start(new StoreConfig(kafka, prefix + "store", "127.0.0.1",
                    storeHttpPort, "127.0.0.1", new StoreConfig.Tokens(ADMIN_TOKEN,
                    "internal-token-for-tests-0123456789abcdef", Optional.of("token-key-for-tests-0123456789abcdef")),
                    Optional.of(ScratchDirs.create("dash-store")), Duration.ofHours(24), StoreConfig.TenantLimits.DEFAULTS,
                    Duration.ofDays(5), "127.0.0.1", 0), LOOPBACK, storeVertx, storeMetrics.registry()));
            OpsServer storeOps = own(owned, new OpsServer(storeVertx, storeMetrics.registry()));
            storeOps.addReadinessCheck("store", store::readiness);
            int storePort = storeOps.start("127.0.0.1", 0).await();

            LOG.info("Ops endpoints: enricher {}, dispatcher {}, store {}", enricherPort, dispatcherPort, storePort);
            return new Pipeline(names, new Topics(names, new AvroSerdes(registry)), enricher, dispatcher, store,
                    Map.of("enricher-stream", enricherPort, "dispatcher-worker", dispatcherPort, "subscription-store", storePort),
                    "http://127.0.0.1:" + storeHttpPort, dispatcherOps, owned);
        } catch (Exception | Error e) {
            closeAll(owned);
            throw e;
        }
    }

    private static <T extends AutoCloseable> T own(Deque<AutoCloseable> owned, T closeable) {
        owned.push(closeable);
        return closeable;
    }

    /** Whether every service reports ready, as its {@code /health/ready} would. */
    boolean ready() {
        return enricher.readiness().isUp() && dispatcher.readiness().isUp() && store.readiness().isUp();
    }

    /**
     * Stops the dispatcher as a crash or an orderly stop would look from outside: its ops
     * endpoint stops answering and nothing is delivered any more; the other services go on.
     */
    void stopDispatcher() throws Exception {
        for (AutoCloseable part : new AutoCloseable[] {dispatcherOps, dispatcher}) {
            owned.remove(part);
            part.close();
        }
        LOG.info("Dispatcher stopped");
    }

    @Override
    public void close() {
        closeAll(owned);
    }

    /** Closes in reverse order of start; one failure does not keep the rest open. */
    private static void closeAll(Deque<AutoCloseable> owned) {
        while (!owned.isEmpty()) {
            AutoCloseable next = owned.pop();
            try {
                next.close();
            } catch (Exception e) {
                LOG.warn("Closing {} failed", next, e);
            }
        }
    }
}
