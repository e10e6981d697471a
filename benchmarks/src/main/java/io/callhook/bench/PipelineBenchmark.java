package io.callhook.bench;

import io.callhook.body.BodyOptions;
import io.callhook.body.EnrichedCall;
import io.callhook.body.Geo;
import io.callhook.body.WebhookBody;
import io.callhook.body.WebhookBodyRenderer;
import io.callhook.demo.DemoMain;
import io.callhook.demo.DemoStoreClient;
import io.callhook.demo.PipelineServices;
import io.callhook.demo.PipelineServices.Service;
import io.callhook.demo.Traffic;
import io.callhook.enricher.fanout.WebhookIds;
import io.callhook.launch.ChildProcess;
import io.callhook.launch.Folders;
import io.callhook.launch.JvmProfile;
import io.callhook.launch.NginxReceiver;
import io.callhook.launch.RegistryProcess;
import io.callhook.launch.StandaloneKafka;
import io.callhook.model.CallEvent;
import io.callhook.model.VisitSnapshot;
import io.callhook.serde.AvroSerdes;
import io.callhook.serde.AvroTrust;
import io.callhook.serde.RegistryConfig;
import io.callhook.topic.TopicNames;
import io.callhook.topic.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline under load, as deployed: a standalone broker and the three services, each
 * a process, the registry beside them; accounts with several subscriptions each, all pointing at
 * nginx, a receiver outside every measured JVM. Measures, in one run:
 * <ul>
 *   <li>the steady webhooks/s with calls published as fast as the pipeline takes them: the rate
 *       between 50 % and 95 % of the arrivals, after a warm-up load, with the rate of every
 *       5-second window to show it has levelled off;</li>
 *   <li>end-to-end latency (call event handed to the producer → nginx has answered the webhook,
 *       from nginx's own log of {@code $msec} and the webhook id) p50/p90/p99 at that full load
 *       and at 20 % of it, the first seconds of the 20 % (straight after the full load) apart;</li>
 *   <li>CPU seconds per 1,000 webhooks of each service, of the broker and of nginx;</li>
 *   <li>the limit: wrk, keep-alive, against the same nginx.</li>
 * </ul>
 * Writes bench-results/pipeline.md and bench-results/pipeline.png.
 *
 * <p>Usage: {@code ./callhook bench [calls] [--light-seconds N] [--port-base N]}; calls (start and
 * end each) default to 40,000, three webhooks each: on two cores the rate still climbs for
 * the first 15 s (the JIT), and with 20,000 the full load ended before it had levelled off.
 */
public final class PipelineBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineBenchmark.class);
    private static final Duration WINDOW = Duration.ofSeconds(5);
    /** The 20 % load's first stretch, measured apart from the rest (see where it is used). */
    private static final Duration SETTLE = Duration.ofSeconds(30);

    /** When each webhook's call event was handed to the producer (epoch ms), by webhook id. */
    private record Published(Map<String, Long> atByWebhookId, int webhooks) {
    }

    /**
     * The steady rate: webhooks/s between 50 % and 95 % of the arrivals, and in each half of that
     * stretch (close together when the rate has levelled off).
     */
    private record Steady(double rate, double firstHalf, double secondHalf) {
        static Steady of(List<Long> arrivals) {
            int n = arrivals.size();
            int from = n / 2;
            int middle = n * 29 / 40;
            int to = n * 19 / 20 - 1;
            return new Steady(rate(arrivals, from, to), rate(arrivals, from, middle), rate(arrivals, middle, to));
        }

        private static double rate(List<Long> arrivals, int from, int to) {
            return (to - from) / (Math.max(1, arrivals.get(to) - arrivals.get(from)) / 1000.0);
        }

        boolean level() {
            return Math.abs(secondHalf - firstHalf) <= 0.1 * Math.max(firstHalf, secondHalf);
        }
    }

    private PipelineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        AvroTrust.install();
        int calls = 40_000;
        int lightSeconds = 30;
        int portBase = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--light-seconds" -> lightSeconds = Integer.parseInt(args[++i]);
                case "--port-base" -> portBase = Integer.parseInt(args[++i]);
                default -> calls = Integer.parseInt(args[i].replace("_", ""));
            }
        }
        Path root = Path.of(System.getProperty("callhook.root", ".")).toAbsolutePath().normalize();
        String loadBefore = MachineFacts.loadAverage();
        Path work = Files.createTempDirectory("pipeline-bench");
        LOG.info("Working in {} (logs in {})", work, work.resolve("logs"));
        int[] ports = new int[8];
        for (int i = 0; i < ports.length; i++) {
            ports[i] = portBase == 0 ? ChildProcess.freePort() : portBase + i;
        }
        Map<Service, Integer> opsPorts = new EnumMap<>(Map.of(Service.ENRICHER, ports[5], Service.DISPATCHER, ports[6],
                Service.STORE, ports[7]));
        int storePort = ports[4];
        try (StandaloneKafka kafka = StandaloneKafka.start(work.resolve("kafka"), ports[0], ports[1], root.resolve("benchmarks/target/lib"), JvmProfile.THROUGHPUT);
             RegistryProcess registry = RegistryProcess.start(null, work.resolve("logs/registry.log"), ports[2]);
             NginxReceiver nginx = NginxReceiver.start(work.resolve("nginx"), ports[3], 2, true);
             PipelineServices services = new PipelineServices(root, work.resolve("logs"),
                     DemoMain.commonEnv(kafka.bootstrapServers(), registry.baseUrl()), BenchAccounts.serviceEnv(work, storePort), opsPorts, JvmProfile.THROUGHPUT);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 5,
                     ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                     new StringSerializer(), new ByteArraySerializer())) {
            services.startAll();
            // A run that stalls leaves the services' metrics behind to say why; a run that ends, what they were at its end.
            Runnable saveMetrics = () -> opsPorts.forEach((service, port) ->
                    OpsMetrics.save(port, work.resolve("logs").resolve(service.name().toLowerCase(java.util.Locale.ROOT) + ".metrics")));
            NginxArrivals arrivals = new NginxArrivals(nginx.arrivalLog());
            Topics topics = new Topics(TopicNames.DEFAULTS, new AvroSerdes(new RegistryConfig(registry.baseUrl(), true)));
            Map<Long, List<String>> subscriptionsByAccount = BenchAccounts.subscribe(new DemoStoreClient("http://127.0.0.1:" + storePort, BenchAccounts.ADMIN),
                    suffix -> nginx.url("/hooks/" + suffix));
            Traffic traffic = new Traffic(3, Instant.now());
            warmUp(producer, topics, traffic, subscriptionsByAccount, arrivals);
            // Warm the services' JIT before measuring: a quarter of the load, delivered and discarded.
            arrivals.clear();
            Published warm = publish(producer, topics, traffic, subscriptionsByAccount, 5_000_000, calls / 4, 0);
            awaitAll(arrivals, warm.webhooks(), Duration.ofMinutes(10), saveMetrics);
            awaitQuiet(services, kafka);

            // Full load: every call's visit, start and end, as fast as the producer sends them.
            arrivals.clear();
            Map<Service, Duration> cpuBefore = cpu(services);
            Duration brokerBefore = kafka.cpu();
            Duration nginxBefore = ProcessCpu.ofTree(nginx.pid());
            long started = System.currentTimeMillis();
            Published full = publish(producer, topics, traffic, subscriptionsByAccount, 10_000_000, calls, 0);
            awaitAll(arrivals, full.webhooks(), Duration.ofMinutes(20), saveMetrics);
            // The last webhook answered is not the end of the work: the store still counts attempts,
            // commits follow. The CPU taken includes that, up to a quiet pipeline, and the 20 % load
            // below starts on a quiet pipeline rather than behind the full load's tail.
            awaitQuiet(services, kafka);
            Map<Service, Double> cpuPerThousand = new EnumMap<>(Service.class);
            cpu(services).forEach((service, cpu) -> cpuPerThousand.put(service, perThousand(cpu.minus(cpuBefore.get(service)), full)));
            double brokerPerThousand = perThousand(kafka.cpu().minus(brokerBefore), full);
            double nginxPerThousand = perThousand(ProcessCpu.ofTree(nginx.pid()).minus(nginxBefore), full);
            List<Long> fullArrivals = arrivals.arrivals();
            Steady steady = Steady.of(fullArrivals);
            List<Double> windows = windowRates(fullArrivals, started);
            double[] fullLatency = percentiles(full, arrivals);
            double seconds = (fullArrivals.get(fullArrivals.size() - 1) - started) / 1000.0;
            LOG.info("Full load: {} webhooks in {} s, {} webhooks/s steady", full.webhooks(), Math.round(seconds),
                    Math.round(steady.rate()));

            // 20 % load: a steady fifth of the steady rate, paced. Its first SETTLE, straight after
            // the full load, is reported apart: every JVM compiles the code paths of a light load
            // then (JFR, 2026-12-04: in the first 20 s the enricher's JIT compiler took 16 s of CPU,
            // the broker's 8 s, this benchmark's own 11 s, on two cores), which a running service
            // does once in its life, not at every change of load.
            arrivals.clear();
            double fanOut = (double) full.webhooks() / (2.0 * calls);
            double eventsPerSecond = 0.2 * steady.rate() / fanOut;
            double[] settleLatency;
            double[] lightLatency;
            try (OutboundWatch outbound = new OutboundWatch(kafka.bootstrapServers(), topics.outbound())) {
                Published settle = publish(producer, topics, traffic, subscriptionsByAccount, 20_000_000,
                        callsFor(eventsPerSecond, SETTLE.toSeconds()), eventsPerSecond);
                Published light = publish(producer, topics, traffic, subscriptionsByAccount, 30_000_000,
                        callsFor(eventsPerSecond, lightSeconds), eventsPerSecond);
                awaitAll(arrivals, settle.webhooks() + light.webhooks(), Duration.ofMinutes(5), saveMetrics);
                settleLatency = percentiles(settle, arrivals);
                lightLatency = percentiles(light, arrivals);
                writeLatencies(settle, arrivals, outbound, work.resolve("logs/settle-load-latency.tsv"));
                writeLatencies(light, arrivals, outbound, work.resolve("logs/light-load-latency.tsv"));
                saveMetrics.run();
            }

            WrkLimit.Measured limit = WrkLimit.run(nginx, work, sampleBody(nginx), 2, 64, Duration.ofSeconds(10));
            Report report = new Report(calls, full.webhooks(), seconds, steady, windows, fullLatency, settleLatency, lightLatency,
                    eventsPerSecond * fanOut, cpuPerThousand, brokerPerThousand, nginxPerThousand, limit, loadBefore,
                    MachineFacts.loadAverage(), String.join(" ", args));
            report.write(root, overTime(fullArrivals, started));
        } finally {
            // The logs stay for reading; the broker's data and the services' state (200 MB to 2 GB a run) go.
            for (String data : List.of("kafka", "enricher", "store", "nginx")) {
                Folders.deleteTree(work.resolve(data));
            }
        }
    }



    /** One call per account, waited for: then every subscription has reached the enricher's table. */
    private static void warmUp(KafkaProducer<String, byte[]> producer, Topics topics, Traffic traffic,
                               Map<Long, List<String>> subscriptions, NginxArrivals arrivals) throws Exception {
        for (int round = 0; round < 30; round++) {
            arrivals.clear();
            Published probe = publish(producer, topics, traffic, subscriptions, 1_000 + round * BenchAccounts.ACCOUNTS, BenchAccounts.ACCOUNTS, 0);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (arrivals.distinct() < probe.webhooks() && System.nanoTime() < deadline) {
                Thread.sleep(100);
                arrivals.refresh();
            }
            if (arrivals.distinct() >= probe.webhooks()) {
                return;
            }
        }
        throw new IllegalStateException("the pipeline did not deliver the warm-up calls");
    }

    /**
     * Publishes calls {@code firstCall..} (visit, start, end each), at {@code eventsPerSecond}
     * or as fast as possible when 0, noting when each event went out by the ids of its webhooks.
     */
    private static Published publish(KafkaProducer<String, byte[]> producer, Topics topics, Traffic traffic,
                                     Map<Long, List<String>> subscriptions, long firstCall, int calls, double eventsPerSecond)
            throws InterruptedException {
        Map<String, Long> at = new HashMap<>();
        // At full load every visit goes first. Paced, a visit goes about a second ahead of its call,
        // as a tracker's would: a whole run's visits at once would be a burst the 20 % load is
        // measured behind.
        long end = firstCall + calls;
        long lead = eventsPerSecond > 0 ? Math.max(1, (long) eventsPerSecond) : calls;
        long visitsSent = sendVisits(producer, topics, traffic, firstCall, Math.min(end, firstCall + lead));
        if (eventsPerSecond == 0) {
            producer.flush();
        }
        long start = System.nanoTime();
        int sent = 0;
        for (boolean ended : new boolean[] {false, true}) {
            for (long call = firstCall; call < end; call++) {
                visitsSent = sendVisits(producer, topics, traffic, visitsSent, Math.min(end, call + lead));
                long account = 1 + call % BenchAccounts.ACCOUNTS;
                CallEvent event = CallEvent.newBuilder(traffic.call(call, account, ended)).setOccurredAt(Instant.now()).build();
                if (eventsPerSecond > 0) {
                    long due = start + (long) (sent / eventsPerSecond * 1e9);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                // nginx logs arrivals in epoch milliseconds: the same clock.
                long now = System.currentTimeMillis();
                for (String subscription : subscriptions.get(account)) {
                    at.put(WebhookIds.of(event, subscription), now);
                }
                producer.send(new ProducerRecord<>(topics.callEvents().name(), Long.toString(call),
                        topics.callEvents().valueSerde().serializer().serialize(topics.callEvents().name(), event)));
                sent++;
            }
        }
        producer.flush();
        return new Published(at, at.size());
    }

    /** Sends the visits of calls {@code from} (inclusive) to {@code to} (exclusive); returns where it stopped. */
    private static long sendVisits(KafkaProducer<String, byte[]> producer, Topics topics, Traffic traffic, long from, long to) {
        for (long call = from; call < to; call++) {
            VisitSnapshot visit = traffic.visit("visitor-" + call);
            producer.send(new ProducerRecord<>(topics.visits().name(), visit.getVisitorId(),
                    topics.visits().valueSerde().serializer().serialize(topics.visits().name(), visit)));
        }
        return Math.max(from, to);
    }

    /** Calls (start and end) that make {@code seconds} of events at {@code eventsPerSecond}. */
    private static int callsFor(double eventsPerSecond, long seconds) {
        return (int) Math.max(10, eventsPerSecond / 2 * seconds);
    }

    private static void awaitAll(NginxArrivals arrivals, int expected, Duration timeout, Runnable onTimeout)
            throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            arrivals.refresh();
            if (arrivals.distinct() >= expected) {
                return;
            }
            if (System.nanoTime() > deadline) {
                onTimeout.run();
                throw new IllegalStateException("only " + arrivals.distinct() + " of " + expected + " webhooks arrived within "
                        + timeout + "; the services' metrics are in the logs folder");
            }
            Thread.sleep(100);
        }
    }

    /** Webhooks/s in each 5-second window from the start of publishing. */
    private static List<Double> windowRates(List<Long> arrivals, long started) {
        long last = arrivals.get(arrivals.size() - 1);
        int windows = (int) ((last - started) / WINDOW.toMillis()) + 1;
        long[] counts = new long[windows];
        arrivals.forEach(at -> counts[(int) ((at - started) / WINDOW.toMillis())]++);
        List<Double> rates = new ArrayList<>();
        for (long count : counts) {
            rates.add(count / (double) WINDOW.toSeconds());
        }
        return rates;
    }

    /** p50, p90 and p99 in milliseconds. */
    private static double[] percentiles(Published published, NginxArrivals arrivals) {
        List<Double> latencies = new ArrayList<>();
        published.atByWebhookId().forEach((id, at) -> {
            Long arrived = arrivals.arrivalOf(id);
            if (arrived != null) {
                latencies.add((double) (arrived - at));
            }
        });
        latencies.sort(Double::compare);
        return new double[] {at(latencies, 0.5), at(latencies, 0.9), at(latencies, 0.99)};
    }

    /**
     * Every webhook of a run, in the order published, as a line of: published (epoch ms), then
     * milliseconds from that until the enricher rendered it, until it was readable on the outbound
     * topic, and until nginx answered it; and its id. Where the slow ones cluster, in time and by
     * stage, says whether a tail is a pause of one process or spread over the run.
     */
    private static void writeLatencies(Published published, NginxArrivals arrivals, OutboundWatch outbound, Path file)
            throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("published_ms\trendered_after_ms\treadable_after_ms\tanswered_after_ms\twebhook_id");
        published.atByWebhookId().entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(entry -> {
            long at = entry.getValue();
            Long arrived = arrivals.arrivalOf(entry.getKey());
            OutboundWatch.Seen seen = outbound.of(entry.getKey());
            lines.add(at + "\t" + (seen == null ? "-" : seen.renderedAt() - at) + "\t" + (seen == null ? "-" : seen.readableAt() - at)
                    + "\t" + (arrived == null ? "-" : arrived - at) + "\t" + entry.getKey());
        });
        Files.write(file, lines);
    }

    private static double at(List<Double> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    private static List<double[]> overTime(List<Long> arrivals, long start) {
        List<double[]> points = new ArrayList<>();
        int step = Math.max(1, arrivals.size() / 200);
        for (int i = 0; i < arrivals.size(); i += step) {
            points.add(new double[] {(arrivals.get(i) - start) / 1e3, i + 1});
        }
        points.add(new double[] {(arrivals.get(arrivals.size() - 1) - start) / 1e3, arrivals.size()});
        return points;
    }

    private static Map<Service, Duration> cpu(PipelineServices services) {
        Map<Service, Duration> cpu = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            cpu.put(service, services.cpu(service));
        }
        return cpu;
    }

    /**
     * Waits until the services and the broker together use less than a quarter of a core over two
     * seconds (what an idle pipeline's commits and heartbeats take is less), at most a minute.
     */
    private static void awaitQuiet(PipelineServices services, StandaloneKafka kafka) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        Duration last = busy(services, kafka);
        while (System.nanoTime() < deadline) {
            Thread.sleep(2_000);
            Duration now = busy(services, kafka);
            if (now.minus(last).toMillis() < 500) {
                return;
            }
            last = now;
        }
        LOG.warn("The pipeline did not quieten within a minute; measuring on");
    }

    private static Duration busy(PipelineServices services, StandaloneKafka kafka) {
        return cpu(services).values().stream().reduce(kafka.cpu(), Duration::plus);
    }

    private static double perThousand(Duration cpu, Published published) {
        return cpu.toNanos() / 1e9 / (published.webhooks() / 1000.0);
    }

    /** A webhook body as the enricher renders it: what the HTTP limit POSTs. */
    private static byte[] sampleBody(NginxReceiver nginx) {
        Traffic traffic = new Traffic(5, Instant.now());
        CallEvent call = traffic.call(1, 1, true);
        return WebhookBodyRenderer.render(WebhookBody.of(new EnrichedCall(call, traffic.visit(call.getVisitorId()),
                new Geo("RU", "Москва", "Москва", "Центральный федеральный округ"))), BodyOptions.DEFAULT, nginx.url("/limit/")).body();
    }

    private record Report(int calls, int webhooks, double seconds, Steady steady, List<Double> windows, double[] full,
                          double[] settle, double[] light, double lightRate, Map<Service, Double> cpu, double broker, double nginx,
                          WrkLimit.Measured limit, String loadBefore, String loadAfter, String arguments) {

        void write(Path root, List<double[]> overTime) throws IOException {
            Path dir = Files.createDirectories(root.resolve("bench-results"));
            double services = cpu.values().stream().mapToDouble(Double::doubleValue).sum();
            StringBuilder windowText = new StringBuilder();
            for (double rate : windows) {
                windowText.append(windowText.length() == 0 ? "" : ", ").append(String.format("%,.0f", rate));
            }
            String table = String.format("""
                    # End-to-end benchmark

                    Measured %s on %s. Load average (1, 5, 15 min) before: %s; after: %s.
                    Command: `./callhook bench%s`

                    %,d calls (start and end) of %d accounts with %d subscriptions each: %,d webhooks, after a warm-up
                    of a quarter of that. A standalone broker, the registry and the three services, each a process;
                    the receiver is %s answering `204` on loopback, outside every measured JVM, which logs `$msec`
                    and the `webhook-id` of every webhook it answers: latency is from the call event handed to the
                    producer to that log line, on one clock.

                    | figure | value |
                    |---|---:|
                    | steady rate, calls published as fast as the pipeline takes them (arrivals 50 %%–95 %%) | %,.0f webhooks/s |
                    | the two halves of that stretch (levelled off: %s) | %,.0f / %,.0f webhooks/s |
                    | whole full-load run, first call published → last webhook answered | %,.0f webhooks/s in %.1f s |
                    | end-to-end latency at full load, p50 / p90 / p99 | %,.0f / %,.0f / %,.0f ms |
                    | end-to-end latency at 20 %% load (%,.0f webhooks/s), p50 / p90 / p99 | %,.0f / %,.0f / %,.0f ms |
                    | the same, its first %d s, straight after the full load | %,.0f / %,.0f / %,.0f ms |
                    | CPU per 1,000 webhooks: enricher / dispatcher / store | %.3f / %.3f / %.3f s |
                    | CPU per 1,000 webhooks: the three services together | %.3f s |
                    | CPU per 1,000 webhooks: broker / nginx | %.3f / %.3f s |
                    | limit: wrk, keep-alive, the same nginx (`-t2 -c64 -d10s`) | %,.0f requests/s |
                    | pipeline (steady) / limit | %.3f |

                    Webhooks/s in successive 5-second windows of the full-load run: %s.

                    CPU is over the whole full-load run, from the first call published until the pipeline is
                    quiet again (the store counts the last attempts after the last webhook is answered), from
                    `/proc/<pid>/stat`. The 20 %% load starts on a quiet pipeline; its latency is measured after its
                    first %d s, which are shown apart: every JVM is still compiling the code paths of a light load
                    then, which takes most of the two cores (every webhook's times, with when it was rendered and
                    when it became readable on the outbound topic, are in the run's `logs/*-load-latency.tsv`).
                    At full load, latency is mostly time spent queued behind the calls published before it.
                    """, Instant.now().truncatedTo(ChronoUnit.SECONDS), MachineFacts.describe(), loadBefore, loadAfter,
                    arguments.isBlank() ? "" : " " + arguments, calls, BenchAccounts.ACCOUNTS, BenchAccounts.SUBSCRIPTIONS_PER_ACCOUNT, webhooks,
                    NginxReceiver.version(), steady.rate(), steady.level() ? "yes" : "no, still changing", steady.firstHalf(),
                    steady.secondHalf(), webhooks / seconds, seconds, full[0], full[1], full[2], lightRate, light[0], light[1],
                    light[2], SETTLE.toSeconds(), settle[0], settle[1], settle[2], cpu.get(Service.ENRICHER), cpu.get(Service.DISPATCHER), cpu.get(Service.STORE), services, broker, nginx,
                    limit.rate(), steady.rate() / limit.rate(), windowText, SETTLE.toSeconds());
            Files.writeString(dir.resolve("pipeline.md"), table);
            Chart.write(dir.resolve("pipeline.png"), overTime, List.of(new Chart.Bar("full p50", full[0]),
                    new Chart.Bar("full p99", full[2]), new Chart.Bar("20% p50", light[0]), new Chart.Bar("20% p99", light[2])),
                    String.format("Callhook end to end: %,.0f webhooks/s steady", steady.rate()));
            System.out.println(table);
            System.out.println("Written to " + dir.resolve("pipeline.md") + " and " + dir.resolve("pipeline.png"));
        }
    }
}
