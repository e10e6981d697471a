package io.callhook.bench;

import io.callhook.dispatcher.app.DispatcherApp;
import io.callhook.dispatcher.retry.RetrySchedule;
import io.callhook.launch.ChildProcess;
import io.callhook.launch.Folders;
import io.callhook.launch.JvmProfile;
import io.callhook.launch.NginxReceiver;
import io.callhook.launch.RegistryProcess;
import io.callhook.launch.StandaloneKafka;
import io.callhook.serde.AvroSerdes;
import io.callhook.serde.RegistryConfig;
import io.callhook.service.kafka.TopicLayout;
import io.callhook.service.kafka.TopicProvisioner;
import io.callhook.topic.TopicNames;
import io.callhook.topic.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatcher next to what a user would pick instead, each started as a process and timed
 * from its launch until the receiver has counted every POST:
 * <ul>
 *   <li>the HTTP limit: wrk, keep-alive, against the same receiver;</li>
 *   <li>the dispatcher's production jar with its default settings (signed, attempt records,
 *       {@code acks=all}, offsets of finished work), loopback allowed through its config key;</li>
 *   <li>an Apache Camel kafka→http route and a plain consume-then-POST loop
 *       ({@code benchmark-peers}).</li>
 * </ul>
 * The receiver is nginx and the broker and registry are processes of their own, so nothing that
 * is measured shares a JVM with anything else. The topic is written once; each system reads it
 * with a fresh consumer group. Writes {@code bench-results/dispatcher.md}.
 *
 * <p>Usage: {@code ./callhook bench dispatcher [options]}, see {@link DispatcherBenchOptions#USAGE}.
 */
public final class DispatcherBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(DispatcherBenchmark.class);
    private static final int WRK_THREADS = 2;

    /** One system's run: its timing, or why it has none, and what a dispatcher wrote besides its POSTs. */
    record Outcome(String system, int run, DeliveryTimer.Timing timing, String failure, Long attempts, Long deadLetters,
                   Map<String, Long> attemptsByOutcome) {
    }

    private record Ports(int kafka, int controller, int registry, int nginx, int dispatcherOps, int baselineOps) {
        static Ports from(int base) throws IOException {
            if (base == 0) {
                return new Ports(ChildProcess.freePort(), ChildProcess.freePort(), ChildProcess.freePort(), ChildProcess.freePort(),
                        ChildProcess.freePort(), ChildProcess.freePort());
            }
            return new Ports(base, base + 1, base + 2, base + 3, base + 4, base + 5);
        }
    }

    private DispatcherBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("callhook.root", ".")).toAbsolutePath().normalize();
        DispatcherBenchOptions options;
        try {
            options = DispatcherBenchOptions.parse(args, root);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println("callhook bench dispatcher: " + e.getMessage());
            }
            System.err.print(DispatcherBenchOptions.USAGE);
            System.exit(e.getMessage().isEmpty() ? 0 : 2);
            return;
        }
        Peers peers = Peers.locate(root, options.order());
        String loadBefore = MachineFacts.loadAverage();
        Path work = Files.createTempDirectory("dispatcher-bench");
        Ports ports = Ports.from(options.portBase());
        LOG.info("Working in {}", work);
        List<Outcome> outcomes = new ArrayList<>();
        OutboundWorkload workload;
        try (StandaloneKafka kafka = StandaloneKafka.start(work.resolve("kafka"), ports.kafka(), ports.controller(), kafkaJars(root), JvmProfile.THROUGHPUT);
             RegistryProcess registry = RegistryProcess.start(null, work.resolve("logs/registry.log"), ports.registry());
             NginxReceiver nginx = NginxReceiver.start(work.resolve("nginx"), ports.nginx(), options.nginxWorkers(), false)) {
            Topics topics = new Topics(TopicNames.DEFAULTS, new AvroSerdes(new RegistryConfig(registry.baseUrl(), true)));
            workload = OutboundWorkload.write(kafka.bootstrapServers(), topics, options.subscriptions(), options.partitions(),
                    options.records(), nginx.url("/hooks/"));
            Bench bench = new Bench(options, kafka, registry, nginx, workload, peers, ports, work,
                    new AttemptCensus(kafka.bootstrapServers(), topics));
            for (int run = 1; run <= options.runs(); run++) {
                for (String system : options.orderOf(run)) {
                    outcomes.add(bench.measure(system, run));
                }
            }
        } finally {
            Folders.deleteTree(work.resolve("kafka"));
        }
        DispatcherReport report = new DispatcherReport(options, workload, peers.camelVersion(), outcomes, loadBefore,
                MachineFacts.loadAverage(), String.join(" ", args));
        String text = report.markdown();
        System.out.println();
        System.out.println(text);
        Files.createDirectories(options.output().getParent());
        Files.writeString(options.output(), text);
        System.out.println("Written to " + options.output() + "; logs in " + work.resolve("logs"));
    }

    /** The kafka_2.13 jars the standalone broker runs from: this benchmark's own lib/. */
    private static Path kafkaJars(Path root) {
        for (Path candidate : List.of(root.resolve("benchmarks/target/lib"), root.resolve("demo/target/lib"))) {
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("No Kafka jars in benchmarks/target/lib: build the benchmark with "
                + "'mvn -pl benchmarks -am package -DskipTests' (./callhook bench does it)");
    }

    /** The peers' jar and classpath, from the benchmark-peers module. */
    record Peers(Path jar, Path lib, String camelVersion) {
        static Peers locate(Path root, List<String> systems) {
            Path jar = root.resolve("benchmark-peers/target/benchmark-peers.jar");
            Path lib = root.resolve("benchmark-peers/target/lib");
            boolean needed = systems.contains(DispatcherBenchOptions.CAMEL) || systems.contains(DispatcherBenchOptions.PLAIN);
            if (needed && (!Files.isRegularFile(jar) || !Files.isDirectory(lib))) {
                throw new IllegalStateException(jar + " or its lib/ is missing: build it with "
                        + "'mvn -pl benchmark-peers package -DskipTests' (./callhook bench does it)");
            }
            String camel = "?";
            if (Files.isDirectory(lib)) {
                try (Stream<Path> files = Files.list(lib)) {
                    camel = files.map(p -> p.getFileName().toString()).filter(n -> n.matches("camel-main-.*\\.jar"))
                            .map(n -> n.substring("camel-main-".length(), n.length() - ".jar".length())).findFirst().orElse("?");
                } catch (IOException e) {
                    camel = "?";
                }
            }
            return new Peers(jar, lib, camel);
        }

        String classpath() {
            return jar + java.io.File.pathSeparator + lib.resolve("*");
        }
    }

    /** Everything a measurement needs, started once for the whole benchmark. */
    private record Bench(DispatcherBenchOptions options, StandaloneKafka kafka, RegistryProcess registry, NginxReceiver nginx,
                         OutboundWorkload workload, Peers peers, Ports ports, Path work, AttemptCensus census) {

        Outcome measure(String system, int run) throws IOException, InterruptedException {
            LOG.info("Run {}: {}", run, system);
            try {
                return switch (system) {
                    case DispatcherBenchOptions.LIMIT -> limit(run);
                    case DispatcherBenchOptions.DISPATCHER -> dispatcher(system, run, options.dispatcherJar(), ports.dispatcherOps());
                    case DispatcherBenchOptions.BASELINE -> dispatcher(system, run, options.baselineJar(), ports.baselineOps());
                    case DispatcherBenchOptions.CAMEL -> peer(system, run, "io.callhook.peers.CamelRoute");
                    case DispatcherBenchOptions.PLAIN -> peer(system, run, "io.callhook.peers.PlainLoop");
                    default -> throw new IllegalArgumentException(system);
                };
            } catch (IllegalStateException e) {
                LOG.error("Run {}: {} failed: {}", run, system, e.getMessage());
                return new Outcome(system, run, null, e.getMessage(), null, null, Map.of());
            }
        }

        private Outcome limit(int run) throws IOException, InterruptedException {
            Duration brokerBefore = kafka.cpu();
            WrkLimit.Measured wrk = WrkLimit.run(nginx, work, workload.sampleBody(), WRK_THREADS, options.wrkConnections(),
                    Duration.ofSeconds(options.wrkSeconds()));
            DeliveryTimer.Timing timing = new DeliveryTimer.Timing(wrk.requests(), wrk.seconds(), 0, wrk.wrkCpu(),
                    kafka.cpu().minus(brokerBefore), wrk.nginxCpu(), 0);
            return new Outcome(DispatcherBenchOptions.LIMIT, run, timing, null, null, null, Map.of());
        }

        private Outcome dispatcher(String system, int run, Path jar, int opsPort) throws IOException, InterruptedException {
            Map<String, String> env = new HashMap<>();
            env.put("CALLHOOK_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
            env.put("CALLHOOK_REGISTRY_URL", registry.baseUrl());
            // The one setting changed from the defaults: nginx listens on loopback, which the SSRF guard refuses.
            env.put("CALLHOOK_NET_ALLOW_ADDRESSES", "127.0.0.0/8");
            env.put("CALLHOOK_TOPICS_PARTITIONS", Integer.toString(options.partitions()));
            env.put("CALLHOOK_DISPATCHER_GROUP_ID", group(system, run));
            // Retry tiers of its own: a fresh group reads them from the start, and an earlier run's
            // retries (already delivered by that run) would be delivered again.
            String retryPrefix = "webhooks.retry." + system + "-run" + run + ".";
            env.put("CALLHOOK_TOPIC_RETRY_PREFIX", retryPrefix);
            createTopics(retryPrefix);
            env.put("CALLHOOK_OPS_PORT", Integer.toString(opsPort));
            env.putAll(options.dispatcherEnv());
            List<String> command = new ArrayList<>(List.of(java()));
            command.addAll(jvmOptions(system, run));
            command.addAll(List.of("-jar", jar.toString()));
            String attempts = TopicNames.DEFAULTS.attempts();
            String dead = TopicNames.DEFAULTS.deadLetters();
            Map<String, Long> before = endOffsets(Set.of(attempts, dead));
            Map<TopicPartition, Long> attemptsBefore = census.mark();
            DeliveryTimer.Timing timing = null;
            String failure = null;
            try {
                timing = DeliveryTimer.time(system, command, env, log(system, run), nginx, kafka::cpu, workload.records(),
                        Duration.ofSeconds(options.jfrDir() == null ? 30 : 90),
                        () -> OpsMetrics.save(opsPort, work.resolve("logs").resolve(system + "-run" + run + ".metrics")));
            } catch (IllegalStateException e) {
                LOG.error("Run {}: {} failed: {}", run, system, e.getMessage());
                failure = e.getMessage();
            }
            // Counted once the dispatcher has stopped, so everything it wrote is on the broker.
            Map<String, Long> after = endOffsets(Set.of(attempts, dead));
            Map<String, Long> byOutcome = census.since(attemptsBefore);
            LOG.info("{}: attempt records by outcome: {}", system, byOutcome);
            return new Outcome(system, run, timing, failure, after.get(attempts) - before.get(attempts),
                    after.get(dead) - before.get(dead), byOutcome);
        }

        private Outcome peer(String system, int run, String mainClass) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of(java()));
            command.addAll(jvmOptions(system, run));
            command.addAll(List.of("-cp", peers.classpath(), mainClass,
                    "--bootstrap", kafka.bootstrapServers(),
                    "--topic", TopicNames.DEFAULTS.outbound(),
                    "--group", group(system, run),
                    "--url", nginx.url("/hooks/")));
            DeliveryTimer.Timing timing = DeliveryTimer.time(system, command, Map.of(), log(system, run), nginx, kafka::cpu,
                    workload.records(), Duration.ofSeconds(options.jfrDir() == null ? 30 : 90), () -> { });
            return new Outcome(system, run, timing, null, null, null, Map.of());
        }

        private List<String> jvmOptions(String system, int run) throws IOException {
            List<String> jvm = new ArrayList<>(options.jvmOptions());
            if (options.jfrDir() != null) {
                Files.createDirectories(options.jfrDir());
                jvm.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                        + options.jfrDir().resolve(system + "-run" + run + ".jfr")
                        + (options.jfrOptions().isEmpty() ? "" : "," + options.jfrOptions()));
            }
            return jvm;
        }

        private String group(String system, int run) {
            return "bench-" + system + "-run" + run + "-" + System.currentTimeMillis();
        }

        private Path log(String system, int run) {
            return work.resolve("logs").resolve(system + "-run" + run + ".log");
        }

        /**
         * Creates the dispatcher's topics before its launch, as a deployed dispatcher finds them:
         * the retry tiers are new in every run, and creating them (a second here) is a first start's
         * work, which the peers, reading and writing no topic of their own, do not do.
         */
        private void createTopics(String retryPrefix) throws InterruptedException {
            TopicNames names = TopicNames.fromConfig(Map.of(TopicNames.RETRY_PREFIX, retryPrefix));
            List<String> tiers = RetrySchedule.DEFAULT.tiers().suffixes().stream().map(names::retryTier).toList();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                new TopicProvisioner(admin, Duration.ofSeconds(30))
                        .ensure(new TopicLayout(true, options.partitions(), (short) 1), DispatcherApp.topicSpecs(names, tiers));
            }
        }

        /** Records on each topic so far (end offsets summed over its partitions; 0 for a topic not created yet). */
        private Map<String, Long> endOffsets(Set<String> topics) throws InterruptedException {
            Map<String, Long> counts = new HashMap<>();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                for (String topic : topics) {
                    counts.put(topic, endOffsetSum(admin, topic));
                }
            }
            return counts;
        }

        private static long endOffsetSum(Admin admin, String topic) throws InterruptedException {
            try {
                TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
                Map<TopicPartition, OffsetSpec> latest = description.partitions().stream()
                        .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
                return admin.listOffsets(latest).all().get().values().stream().mapToLong(o -> o.offset()).sum();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    return 0;
                }
                throw new IllegalStateException("Cannot read the end offsets of " + topic, e.getCause());
            }
        }

        private static String java() {
            return Path.of(System.getProperty("java.home"), "bin", "java").toString();
        }
    }
}
