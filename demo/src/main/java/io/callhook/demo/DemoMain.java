package io.callhook.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.callhook.demo.PipelineServices.Service;
import io.callhook.demo.inspector.WebhookInspector;
import io.callhook.demo.traffic.TrafficGenerator;
import io.callhook.demo.traffic.TrafficSettings;
import io.callhook.launch.Folders;
import io.callhook.launch.JvmProfile;
import io.callhook.launch.RegistryProcess;
import io.callhook.launch.StandaloneKafka;
import io.callhook.serde.AvroSerdes;
import io.callhook.serde.AvroTrust;
import io.callhook.serde.RegistryConfig;
import io.callhook.store.api.AccountTokens;
import io.callhook.topic.TopicNames;
import io.callhook.topic.Topics;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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
 * tracker. Loopback is allowed as a webhook target here, and only here.
 *
 * <p>Ctrl-C (or SIGTERM) stops it all, also in the middle of the start, in order: traffic, the
 * services (which commit and leave their groups while the broker is up), the registry, the
 * broker. The children run in process groups of their own, so a terminal's Ctrl-C reaches only
 * this process and the order holds. The next start reuses the data folder unless {@code --fresh},
 * after stopping whatever a killed demo left running there.
 */
@Command(name = "callhook demo", mixinStandardHelpOptions = true,
        description = "Run the whole Callhook pipeline locally with demo traffic and a webhook inspector.")
public final class DemoMain implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(DemoMain.class);
    /** Exit code of a demo refused because another one runs on the same data folder. */
    static final int ALREADY_RUNNING = 3;
    /** Exit code of a demo refused because another process listens on one of its ports. */
    static final int PORTS_TAKEN = 4;
    // The store refuses tokens and keys shorter than 32 characters.
    static final String ADMIN_TOKEN = "demo-admin-token-not-for-production";
    static final String TOKEN_KEY = "demo-token-key-not-for-production";
    static final String INTERNAL_TOKEN = "demo-internal-token-not-for-production";
    /** H2's error code for a database file it cannot read ("File corrupted while reading record"). */
    private static final int H2_FILE_CORRUPTED = 90030;

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

    /** Held while this demo runs (a reference, so that it is not collected and released). */
    private DataDirLock dataDirLock;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DemoMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        AvroTrust.install();
        Path root = Path.of(System.getProperty("callhook.root", ".")).toAbsolutePath().normalize();
        DemoPorts ports = DemoPorts.from(System.getenv());
        Path data = (dataDir != null ? dataDir : root.resolve(".callhook").resolve("demo")).toAbsolutePath();
        Path lockFile = DataDirLock.fileFor(data);
        DataDirLock.Outcome lock = DataDirLock.acquire(lockFile);
        if (lock instanceof DataDirLock.HeldBy other) {
            System.err.printf("Another Callhook demo is running on %s (process %s). Stop it first: Ctrl-C where it runs, "
                    + "or kill %s. Or give this one another --data-dir (and other ports).%n", data, other.holder(), other.holder());
            return ALREADY_RUNNING;
        }
        dataDirLock = ((DataDirLock.Acquired) lock).lock();
        LOG.info("Starting the Callhook demo: a Kafka broker, the schema registry and three services, each a process "
                + "of its own (data and logs in {})", data);
        LeftoverProcesses children = new LeftoverProcesses(data.resolve("processes"));
        int leftovers = children.stopLeftovers();
        if (leftovers > 0) {
            System.out.println("Stopped " + leftovers + " processes an earlier demo left running (was it killed?).");
        }
        List<String> taken = TakenPorts.of(ports.byVariable());
        if (!taken.isEmpty()) {
            System.err.printf("Other processes listen on ports the demo needs: %s. Stop them, or move the demo's ports "
                    + "with the variables named.%n", String.join(", ", taken));
            return PORTS_TAKEN;
        }
        if (fresh) {
            Folders.empty(data, lockFile);
        }
        Files.createDirectories(data.resolve("logs"));
        RunningParts parts = new RunningParts(Thread.currentThread());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(parts, children, data), "demo-shutdown"));
        try {
            run(root, ports, data, parts, children);
            // Until Ctrl-C or SIGTERM: the shutdown hook stops everything and interrupts this wait.
            new CountDownLatch(1).await();
            return 0;
        } catch (Exception e) {
            if (parts.stopping()) {
                // Stopped while starting: what failed was only cut short.
                return 0;
            }
            throw e;
        }
    }

    private void run(Path root, DemoPorts ports, Path data, RunningParts parts, LeftoverProcesses children) throws Exception {
        long started = System.nanoTime();
        StandaloneKafka kafka = parts.add("kafka", StandaloneKafka.launch(data.resolve("kafka"), ports.kafka(),
                ports.kafkaController(), brokerJars(root), JvmProfile.QUICK_START));
        children.record("kafka", kafka.handle());
        // The registry keeps its schemas in a file of its own, not in Kafka: both start at once.
        RegistrySnapshot snapshot = new RegistrySnapshot(data.resolve("registry-export.zip"));
        Path registryLog = data.resolve("logs").resolve("registry.log");
        long registryLogStart = Files.exists(registryLog) ? Files.size(registryLog) : 0;
        RegistryProcess registry = parts.add("schema registry", RegistryProcess.launch(data.resolve("registry"), registryLog,
                ports.registry()));
        children.record("schema-registry", registry.handle());
        kafka.awaitReady();
        try {
            registry.awaitReady();
        } catch (IOException failed) {
            if (!snapshot.exists() || !databaseCorrupted(registryLog, registryLogStart)) {
                throw failed;
            }
            registry = restartOnNewDatabase(data, ports, parts, children, snapshot, registryLog);
        }
        String registryUrl = registry.baseUrl();
        // Stopped after the services, before the registry: the export then has every schema they registered.
        parts.add("registry export", () -> snapshot.save(registryUrl));
        PipelineServices services = parts.add("services", new PipelineServices(root, data.resolve("logs"),
                commonEnv(kafka.bootstrapServers(), registry.baseUrl()), serviceEnv(data, ports), Map.of(
                Service.ENRICHER, ports.enricherOps(), Service.DISPATCHER, ports.dispatcherOps(), Service.STORE, ports.storeOps()),
                JvmProfile.QUICK_START));
        for (Service service : Service.values()) {
            services.launch(service);
            children.record(service.module, services.handle(service));
        }
        for (Service service : Service.values()) {
            services.awaitReady(service);
        }

        Vertx vertx = Vertx.vertx();
        parts.add("vert.x", () -> vertx.close().await());
        String storeUrl = "http://127.0.0.1:" + ports.store();
        DemoStoreClient store = new DemoStoreClient(storeUrl, ADMIN_TOKEN);
        // Subscriptions made in the page or with the CLI for the demo accounts are checked too.
        WebhookInspector inspector = new WebhookInspector(vertx, "127.0.0.1", ports.inspector(),
                WebhookInspector.DEFAULT_CAPACITY, java.time.Clock.systemUTC(),
                new StoreSecrets(store, DEMO_ACCOUNT_IDS, ports.inspector()));
        inspector.start().await();
        parts.add("webhook inspector", inspector);
        inspector.respondWith("/hooks/flaky", 503, 0.3);
        List<DemoAccount> accounts = demoAccounts(inspector);
        for (DemoAccount account : accounts) {
            JsonNode subscription = store.findByUrl(account.id(), inspector.url(account.path()))
                    .orElseGet(() -> create(store, account.json()));
            inspector.registerSecret(account.path(), store.secret(subscription.get("id").asText()));
        }

        TrafficGenerator traffic = null;
        if (!noTraffic) {
            KafkaProducer<String, byte[]> producer = new KafkaProducer<>(TrafficGenerator.producerConfig(kafka.bootstrapServers()),
                    new StringSerializer(), new ByteArraySerializer());
            parts.add("traffic producer", () -> producer.close(java.time.Duration.ofSeconds(5)));
            Topics topics = new Topics(TopicNames.DEFAULTS, new AvroSerdes(new RegistryConfig(registry.baseUrl(), true)));
            traffic = parts.add("traffic", new TrafficGenerator(producer, topics, new Traffic(System.nanoTime(), Instant.now()),
                    TrafficSettings.of(rate, accounts.stream().map(DemoAccount::id).toList())));
            traffic.start();
        }
        printBanner(ports, storeUrl, inspector, accounts, data, kafka, registry, (System.nanoTime() - started) / 1_000_000_000.0,
                traffic != null);
        try {
            snapshot.save(registryUrl);
        } catch (IOException e) {
            LOG.warn("Could not export the registry's schemas to {}: {}", data.resolve("registry-export.zip"), e.toString());
        }
    }

    /** Whether the registry stopped because H2 found its file corrupted (H2's error code 90030) since {@code from}. */
    private static boolean databaseCorrupted(Path registryLog, long from) throws IOException {
        byte[] log = Files.readAllBytes(registryLog);
        String since = new String(log, (int) Math.min(from, log.length), log.length - (int) Math.min(from, log.length),
                StandardCharsets.UTF_8);
        return since.contains("[" + H2_FILE_CORRUPTED + "-");
    }

    /** Sets the damaged database aside and starts the registry on a new one, filled from the last export with the same ids. */
    private static RegistryProcess restartOnNewDatabase(Path data, DemoPorts ports, RunningParts parts, LeftoverProcesses children,
                                                        RegistrySnapshot snapshot, Path registryLog) throws Exception {
        Path aside = data.resolve("registry-damaged-" + System.currentTimeMillis());
        System.out.println("The schema registry's database is damaged (H2 error " + H2_FILE_CORRUPTED + "); it is moved to " + aside
                + " and the schemas exported by the last run are restored, with the same ids.");
        Files.move(data.resolve("registry"), aside);
        RegistryProcess registry = parts.add("schema registry (new database)", RegistryProcess.launch(data.resolve("registry"),
                registryLog, ports.registry()));
        children.record("schema-registry", registry.handle());
        registry.awaitReady();
        snapshot.restoreInto(registry.baseUrl());
        return registry;
    }

    /** The accounts of {@link #demoAccounts}, whose subscriptions the inspector can check. */
    private static final List<Long> DEMO_ACCOUNT_IDS = List.of(1001L, 1002L, 1003L);

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

    private static JsonNode create(DemoStoreClient store, String json) {
        try {
            return store.create(json);
        } catch (Exception e) {
            throw new IllegalStateException("Could not create a demo subscription: " + e.getMessage(), e);
        }
    }

    /** The folder of the jars the demo's broker runs on (the demo's own runtime classpath). */
    static Path brokerJars(Path root) {
        return root.resolve("demo").resolve("target").resolve("lib");
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

    /** The shutdown hook: everything in order, then the record of children goes, as none is left. */
    private static void stop(RunningParts parts, LeftoverProcesses children, Path data) {
        System.out.println("\nStopping the Callhook demo...");
        parts.stopAll();
        try {
            children.clear();
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", data.resolve("processes"), e.toString());
        }
        System.out.println("Callhook demo stopped. Its data stays in " + data + " (--fresh starts over).");
    }
}
