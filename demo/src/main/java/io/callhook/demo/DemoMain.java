package io.callhook.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.callhook.demo.PipelineServices.Service;
import io.callhook.demo.inspector.WebhookInspector;
import io.callhook.demo.traffic.TrafficGenerator;
import io.callhook.demo.traffic.TrafficSettings;
import io.callhook.serde.AvroSerdes;
import io.callhook.serde.AvroTrust;
import io.callhook.serde.RegistryConfig;
import io.callhook.store.cli.AccountTokens;
import io.callhook.testkit.RegistryProcess;
import io.callhook.topic.TopicNames;
import io.callhook.topic.Topics;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./callhook demo}: the whole pipeline on this machine, on embedded defaults. A
 * standalone KRaft broker, the registry, the three services as processes, a webhook inspector
 * the demo subscriptions point at, and traffic playing the telephony backend and the site
 * tracker. Loopback is allowed as a webhook target here, and only here. Ctrl-C stops it all;
 * the next start reuses the data folder unless {@code --fresh}.
 */
@Command(name = "callhook demo", mixinStandardHelpOptions = true,
        description = "Run the whole Callhook pipeline locally with demo traffic and a webhook inspector.")
public final class DemoMain implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(DemoMain.class);
    // The store refuses tokens and keys shorter than 32 characters.
    static final String ADMIN_TOKEN = "demo-admin-token-not-for-production";
    static final String TOKEN_KEY = "demo-token-key-not-for-production";
    static final String INTERNAL_TOKEN = "demo-internal-token-not-for-production";

    /** The demo's accounts: what each one's subscription looks like and where it points. */
    private record DemoAccount(long id, String path, String json) {
    }

    @Option(names = "--rate", defaultValue = "1", description = "Calls per second of demo traffic (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--no-traffic", description = "Start everything but send no calls (use the page's test button).")
    boolean noTraffic;

    @Option(names = "--fresh", description = "Delete the data of earlier runs first.")
    boolean fresh;

    @Option(names = "--data-dir", description = "Where the broker, registry and services keep their data (default .callhook/demo).")
    Path dataDir;

    private final List<AutoCloseable> running = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);

    public static void main(String[] args) {
        System.exit(new CommandLine(new DemoMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        AvroTrust.install();
        Path root = Path.of(System.getProperty("callhook.root", ".")).toAbsolutePath().normalize();
        DemoPorts ports = DemoPorts.from(System.getenv());
        Path data = (dataDir != null ? dataDir : root.resolve(".callhook").resolve("demo")).toAbsolutePath();
        LOG.info("Starting the Callhook demo: a Kafka broker, the schema registry and three services, each a process "
                + "of its own (data and logs in {})", data);
        if (fresh) {
            deleteRecursively(data);
        }
        Files.createDirectories(data.resolve("logs"));
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "demo-shutdown"));
        long started = System.nanoTime();

        StandaloneKafka kafka = keep(StandaloneKafka.start(data.resolve("kafka"), ports.kafka(), ports.kafkaController(),
                root.resolve("demo").resolve("target").resolve("lib")));
        RegistryProcess registry = keep(RegistryProcess.start(data.resolve("registry"), data.resolve("logs").resolve("registry.log"),
                ports.registry()));
        PipelineServices services = keep(new PipelineServices(root, data.resolve("logs"),
                commonEnv(kafka.bootstrapServers(), registry.baseUrl()), serviceEnv(data, ports), Map.of(
                Service.ENRICHER, ports.enricherOps(), Service.DISPATCHER, ports.dispatcherOps(), Service.STORE, ports.storeOps())));
        services.startAll();

        Vertx vertx = Vertx.vertx();
        keep(() -> vertx.close().await());
        WebhookInspector inspector = new WebhookInspector(vertx, "127.0.0.1", ports.inspector());
        inspector.start().await();
        keep(inspector);
        inspector.respondWith("/hooks/flaky", 503, 0.3);
        String storeUrl = "http://127.0.0.1:" + ports.store();
        List<DemoAccount> accounts = demoAccounts(inspector);
        StoreClient store = new StoreClient(storeUrl, ADMIN_TOKEN);
        for (DemoAccount account : accounts) {
            JsonNode subscription = store.findByUrl(account.id(), inspector.url(account.path()))
                    .orElseGet(() -> create(store, account.json()));
            inspector.registerSecret(account.path(), store.secret(subscription.get("id").asText()));
        }

        TrafficGenerator traffic = null;
        if (!noTraffic) {
            KafkaProducer<String, byte[]> producer = new KafkaProducer<>(TrafficGenerator.producerConfig(kafka.bootstrapServers()),
                    new StringSerializer(), new ByteArraySerializer());
            keep(() -> producer.close(java.time.Duration.ofSeconds(5)));
            Topics topics = new Topics(TopicNames.DEFAULTS, new AvroSerdes(new RegistryConfig(registry.baseUrl(), true)));
            traffic = keep(new TrafficGenerator(producer, topics, new Traffic(System.nanoTime(), Instant.now()),
                    TrafficSettings.of(rate, accounts.stream().map(DemoAccount::id).toList())));
            traffic.start();
        }
        printBanner(ports, storeUrl, inspector, accounts, data, kafka, registry, (System.nanoTime() - started) / 1_000_000_000.0,
                traffic != null);
        stopped.await();
        return 0;
    }

    private static List<DemoAccount> demoAccounts(WebhookInspector inspector) {
        return List.of(
                new DemoAccount(1001, "/hooks/callkeeper", "{\"accountId\":1001,\"product\":\"CALLKEEPER\",\"url\":\""
                        + inspector.url("/hooks/callkeeper") + "\"}"),
                new DemoAccount(1002, "/hooks/calltracking", "{\"accountId\":1002,\"product\":\"CALLTRACKING\",\"url\":\""
                        + inspector.url("/hooks/calltracking") + "\",\"events\":[\"ENDED\"],"
                        + "\"contentType\":\"application/x-www-form-urlencoded\","
                        + "\"renames\":{\"visit_info.udata.uag\":\"user_agent\",\"phone2\":\"client_phone\"},"
                        + "\"params\":{\"crm_key\":\"demo\"}}"),
                new DemoAccount(1003, "/hooks/flaky", "{\"accountId\":1003,\"product\":\"CALLKEEPER\",\"url\":\""
                        + inspector.url("/hooks/flaky") + "\"}"));
    }

    private static JsonNode create(StoreClient store, String json) {
        try {
            return store.create(json);
        } catch (Exception e) {
            throw new IllegalStateException("Could not create a demo subscription: " + e.getMessage(), e);
        }
    }

    /** Settings every service of a local pipeline gets (the demo, the end-to-end test and benchmark). */
    public static Map<String, String> commonEnv(String bootstrap, String registryUrl) {
        return Map.of(
                "CALLHOOK_KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "CALLHOOK_REGISTRY_URL", registryUrl,
                // Demo mode only: the inspector listens on loopback, which the SSRF guard refuses by default.
                "CALLHOOK_NET_ALLOW_ADDRESSES", "127.0.0.0/8,::1/128",
                "CALLHOOK_TOPICS_PARTITIONS", "3");
    }

    private static Map<Service, Map<String, String>> serviceEnv(Path data, DemoPorts ports) {
        Map<String, String> enricher = new java.util.HashMap<>(Map.of(
                "CALLHOOK_ENRICHER_STATE_DIR", data.resolve("enricher").toString()));
        String geo = System.getenv("CALLHOOK_GEOIP_DB");
        if (geo != null && !geo.isBlank()) {
            enricher.put("CALLHOOK_GEOIP_DB", geo);
        }
        return Map.of(
                Service.ENRICHER, enricher,
                Service.DISPATCHER, Map.of(),
                Service.STORE, Map.of(
                        "CALLHOOK_STORE_ADMIN_TOKEN", ADMIN_TOKEN,
                        "CALLHOOK_STORE_TOKEN_KEY", TOKEN_KEY,
                        "CALLHOOK_STORE_INTERNAL_TOKEN", INTERNAL_TOKEN,
                        "CALLHOOK_STORE_HTTP_PORT", Integer.toString(ports.store()),
                        "CALLHOOK_STORE_STATE_DIR", data.resolve("store").toString()));
    }

    private static void printBanner(DemoPorts ports, String storeUrl, WebhookInspector inspector, List<DemoAccount> accounts,
                                    Path data, StandaloneKafka kafka, RegistryProcess registry, double seconds, boolean traffic) {
        StringBuilder text = new StringBuilder("\n");
        text.append(String.format("Callhook demo is running (started in %.0f s). Ctrl-C stops everything.%n%n", seconds));
        text.append(String.format("  Subscriptions page    %s/   admin token: %s%n", storeUrl, ADMIN_TOKEN));
        for (DemoAccount account : accounts) {
            text.append(String.format("      account %d token  %s%n", account.id(), AccountTokens.mint(TOKEN_KEY, account.id())));
        }
        text.append(String.format("  Webhook inspector     %s%n", inspector.url("/")));
        text.append(String.format("  Metrics               http://127.0.0.1:%d/metrics (enricher), http://127.0.0.1:%d/metrics (dispatcher), "
                + "http://127.0.0.1:%d/metrics (store)%n", ports.enricherOps(), ports.dispatcherOps(), ports.storeOps()));
        text.append(String.format("  Kafka                 %s   schema registry %s%n", kafka.bootstrapServers(), registry.baseUrl()));
        text.append(String.format("  Data and logs         %s%n", data));
        text.append(traffic ? "  Traffic               on (--rate to change, --no-traffic to turn off)\n"
                : "  Traffic               off: press \"send test webhook\" on the page\n");
        text.append("  CLI                   CALLHOOK_STORE_URL=" + storeUrl + " CALLHOOK_TOKEN=" + ADMIN_TOKEN
                + " ./callhook cli subscriptions list --account 1001\n");
        System.out.println(text);
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        running.add(closeable);
        return closeable;
    }

    private void stopAll() {
        System.out.println("\nStopping the Callhook demo...");
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                LOG.warn("Stopping {} failed: {}", running.get(i), e.toString());
            }
        }
        System.out.println("Callhook demo stopped. Its data stays in .callhook/demo (--fresh starts over).");
        stopped.countDown();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
