package io.callhook.bench;

import io.callhook.bench.DispatcherBenchmark.Outcome;
import io.callhook.launch.NginxReceiver;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import static io.callhook.bench.DispatcherBenchOptions.BASELINE;
import static io.callhook.bench.DispatcherBenchOptions.CAMEL;
import static io.callhook.bench.DispatcherBenchOptions.DISPATCHER;
import static io.callhook.bench.DispatcherBenchOptions.LIMIT;
import static io.callhook.bench.DispatcherBenchOptions.PLAIN;

/** The dispatcher benchmark's Markdown report: setup, medians with ratios, same-run ratios, every run. */
final class DispatcherReport {

    private static final List<String> CANONICAL = List.of(LIMIT, DISPATCHER, BASELINE, CAMEL, PLAIN);
    private static final List<String[]> PAIRS = List.of(
            new String[] {DISPATCHER, CAMEL}, new String[] {DISPATCHER, PLAIN}, new String[] {DISPATCHER, BASELINE},
            new String[] {BASELINE, CAMEL}, new String[] {CAMEL, PLAIN}, new String[] {DISPATCHER, LIMIT},
            new String[] {BASELINE, LIMIT}, new String[] {CAMEL, LIMIT}, new String[] {PLAIN, LIMIT});

    private final DispatcherBenchOptions options;
    private final OutboundWorkload workload;
    private final String camelVersion;
    private final List<Outcome> outcomes;
    private final String loadBefore;
    private final String loadAfter;
    private final String arguments;
    private final List<String> systems;

    DispatcherReport(DispatcherBenchOptions options, OutboundWorkload workload, String camelVersion, List<Outcome> outcomes,
                     String loadBefore, String loadAfter, String arguments) {
        this.options = options;
        this.workload = workload;
        this.camelVersion = camelVersion;
        this.outcomes = outcomes;
        this.loadBefore = loadBefore;
        this.loadAfter = loadAfter;
        this.arguments = arguments;
        this.systems = CANONICAL.stream().filter(options.order()::contains).toList();
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Dispatcher benchmark\n\n");
        md.append(String.format("Measured %s on %s. Load average (1, 5, 15 min) before: %s; after: %s.%n",
                Instant.now().truncatedTo(ChronoUnit.SECONDS), MachineFacts.describe(), loadBefore, loadAfter));
        md.append("On a shared machine the absolute figures are indicative; the ratios, measured in the same run, are what to compare.\n\n");
        md.append("Command: `./callhook bench dispatcher").append(arguments.isBlank() ? "" : " " + arguments).append("`\n\n");
        setup(md);
        medians(md);
        sameRunRatios(md);
        everyRun(md);
        return md.toString();
    }

    private void setup(StringBuilder md) {
        md.append("## Setup\n\n");
        md.append(String.format("- **Topic**: %,d `WebhookRequest`s on `webhooks.outbound` (%d partitions, keys = subscription ids), "
                        + "rendered by the enricher's renderer: JSON bodies of %,d bytes on average, record values (Confluent wire "
                        + "format, Avro) of %,d bytes; %,d `Subscription`s with signing secrets on `webhooks.subscriptions`, URLs "
                        + "`http://127.0.0.1:<nginx>/hooks/<id>`. Written once (LZ4 batches, as the enricher writes); each system "
                        + "reads it with a consumer group of its own.%n",
                workload.records(), options.partitions(), workload.bodyBytes(), workload.valueBytes(), workload.subscriptions().size()));
        md.append("- **Broker**: one standalone KRaft Kafka process (`kafka.Kafka` from the kafka_2.13 jars, `-Xmx384m`); the Apicurio "
                + "registry as a process of its own.\n");
        md.append(String.format("- **Receiver**: %s, %d worker processes, in the foreground as the benchmark's child, answering `204` "
                + "on loopback with keep-alive; the clock is its `stub_status` request count.%n", NginxReceiver.version(),
                options.nginxWorkers()));
        md.append(String.format("- **Timing**: each system is a process, timed from its launch until nginx has counted all %,d POSTs "
                + "(\"after first POST\" leaves out start-up). CPU is utime + stime from `/proc/<pid>/stat` (the process and its "
                + "children) at that moment; the broker's and nginx's over the same time. The records are distinct, so POSTs counted "
                + "after the clock stopped are duplicates, and a run with duplicates stopped its clock a little early. JVM options "
                + "of every measured JVM: `%s`.%n",
                workload.records(), String.join(" ", options.jvmOptions())));
        md.append("- **Systems**:\n");
        for (String system : systems) {
            md.append("  - `").append(system).append("`: ").append(describe(system)).append('\n');
        }
        md.append("- **Fairness**: the peers POST each record's value as it is (the rendered body plus the request's metadata, "
                + "unparsed, unsigned) to its key's URL: at least the body's bytes, with strictly less work per record than the "
                + "dispatcher, which decodes each request, signs it (HMAC-SHA256, Standard Webhooks headers), POSTs its body and "
                + "writes a `DeliveryAttempt` (acks=all) before it may commit the offset.\n");
        if (options.jfrDir() != null) {
            md.append("- **Profiled**: every measured JVM ran with JFR (`settings=profile")
                    .append(options.jfrOptions().isEmpty() ? "" : "," + options.jfrOptions()).append("`), recordings in `")
                    .append(options.jfrDir()).append("`; the figures carry its overhead.\n");
        }
        md.append('\n');
    }

    private String describe(String system) {
        return switch (system) {
            case LIMIT -> String.format("the HTTP limit: %s, `-t2 -c%d -d%ds`, keep-alive, POSTing one rendered body (%,d bytes, "
                    + "`Content-Type: application/json`) from a Lua script", WrkLimit.version(), options.wrkConnections(),
                    options.wrkSeconds(), workload.sampleBody().length);
            case DISPATCHER -> "`" + options.dispatcherJar() + "`, default settings (signing, attempt records, `acks=all`, offsets of "
                    + "finished work), but `CALLHOOK_NET_ALLOW_ADDRESSES=127.0.0.0/8` (loopback target) and "
                    + "`CALLHOOK_TOPICS_PARTITIONS=" + options.partitions() + "` (topics it creates), and retry tier topics of each run's "
                    + "own (`CALLHOOK_TOPIC_RETRY_PREFIX`), created with the dispatcher's own topic specs before its launch, as a "
                    + "deployed dispatcher finds its topics" + overrides();
            case BASELINE -> "the same, from `" + options.baselineJar() + "`";
            case CAMEL -> "Apache Camel " + camelVersion + " (`camel-main`, `camel-kafka`, `camel-http`): a kafka→http route, "
                    + "`consumersCount=2`, `batching=true` (`maxPollRecords=500`), each record POSTed by camel-http "
                    + "(Apache HttpClient 5, pooled keep-alive), then a manual `commitSync` of the poll's partitions "
                    + "(`benchmark-peers`, `io.callhook.peers.CamelRoute`)";
            case PLAIN -> "a plain loop: kafka-clients `poll`, a synchronous `java.net.http` HTTP/1.1 POST per record, "
                    + "`commitSync` per poll, one thread (`benchmark-peers`, `io.callhook.peers.PlainLoop`)";
            default -> system;
        };
    }

    private String overrides() {
        if (options.dispatcherEnv().isEmpty()) {
            return "";
        }
        return "; **not default**, also: " + options.dispatcherEnv().entrySet().stream()
                .map(e -> "`" + e.getKey() + "=" + e.getValue() + "`").sorted().reduce((a, b) -> a + ", " + b).orElse("");
    }

    private void medians(StringBuilder md) {
        int runs = options.runs();
        md.append(runs == 1 ? "## Result\n\n" : "## Result (median of " + runs + " runs)\n\n");
        List<String> rated = systems.stream().filter(s -> median(s, o -> o.timing().rate()).isPresent()).toList();
        md.append("| system | deliveries/s | after first POST | first POST after launch | CPU s / 1,000 deliveries: process | broker | nginx |");
        rated.forEach(other -> md.append(" / ").append(other).append(" |"));
        md.append("\n|---|---:|---:|---:|---:|---:|---:|");
        rated.forEach(other -> md.append("---:|"));
        md.append('\n');
        for (String system : systems) {
            Optional<Double> rate = median(system, o -> o.timing().rate());
            if (rate.isEmpty()) {
                md.append("| ").append(system).append(" | failed, see below | | | | | |");
                rated.forEach(other -> md.append(" |"));
                md.append('\n');
                continue;
            }
            md.append(String.format("| %s | %,.0f | %s | %s | %.3f | %.3f | %.3f |", system, rate.get(),
                    system.equals(LIMIT) ? "" : String.format("%,.0f", median(system, o -> o.timing().rateAfterFirstPost()).get()),
                    system.equals(LIMIT) ? "" : String.format("%.1f s", median(system, o -> o.timing().firstPostAfter()).get()),
                    median(system, o -> perThousand(o, o.timing().cpu().toNanos())).get(),
                    median(system, o -> perThousand(o, o.timing().brokerCpu().toNanos())).get(),
                    median(system, o -> perThousand(o, o.timing().nginxCpu().toNanos())).get()));
            for (String other : rated) {
                md.append(other.equals(system) ? " |" : String.format(" %.2f |", rate.get() / median(other, o -> o.timing().rate()).get()));
            }
            md.append('\n');
        }
        md.append("\nA ratio is the row's deliveries/s over the column's. For `limit` the process is wrk.\n\n");
    }

    private void sameRunRatios(StringBuilder md) {
        List<String[]> pairs = PAIRS.stream().filter(p -> systems.contains(p[0]) && systems.contains(p[1])).toList();
        if (pairs.isEmpty()) {
            return;
        }
        md.append("## Same-run ratios (deliveries/s)\n\n| run | order |");
        pairs.forEach(p -> md.append(' ').append(p[0]).append(" / ").append(p[1]).append(" |"));
        md.append("\n|---|---|");
        pairs.forEach(p -> md.append("---:|"));
        md.append('\n');
        for (int run = 1; run <= options.runs(); run++) {
            int r = run;
            md.append("| ").append(run).append(" | ").append(String.join(", ", options.orderOf(run))).append(" |");
            for (String[] pair : pairs) {
                Optional<Double> a = rateIn(pair[0], r);
                Optional<Double> b = rateIn(pair[1], r);
                md.append(a.isPresent() && b.isPresent() ? String.format(" %.2f |", a.get() / b.get()) : " — |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    private void everyRun(StringBuilder md) {
        md.append("## Every run\n\n");
        md.append("| run | system | POSTs | seconds | deliveries/s | after first POST | first POST (s) | CPU s (process) | "
                + "CPU s / 1,000: process | broker | nginx | POSTs after the clock stopped, until the process had stopped | attempt records | dead letters |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        List<String> failures = new ArrayList<>();
        for (Outcome o : outcomes) {
            if (o.timing() == null) {
                md.append(String.format("| %d | %s | failed | | | | | | | | | | %s | %s |%n", o.run(), o.system(),
                        o.attempts() == null ? "" : String.format("%,d", o.attempts()),
                        o.deadLetters() == null ? "" : String.format("%,d", o.deadLetters())));
                failures.add("run " + o.run() + ", " + o.system() + ": " + o.failure());
                continue;
            }
            DeliveryTimer.Timing t = o.timing();
            boolean limit = o.system().equals(LIMIT);
            md.append(String.format("| %d | %s | %,d | %.2f | %,.0f | %s | %s | %.2f | %.3f | %.3f | %.3f | %s | %s | %s |%n", o.run(),
                    o.system(), t.delivered(), t.seconds(), t.rate(), limit ? "" : String.format("%,.0f", t.rateAfterFirstPost()),
                    limit ? "" : String.format("%.2f", t.firstPostAfter()), t.cpu().toMillis() / 1000.0,
                    perThousand(o, t.cpu().toNanos()), perThousand(o, t.brokerCpu().toNanos()), perThousand(o, t.nginxCpu().toNanos()),
                    limit ? "" : String.format("%,d", t.extra()), o.attempts() == null ? "" : String.format("%,d", o.attempts()),
                    o.deadLetters() == null ? "" : String.format("%,d", o.deadLetters())));
        }
        if (!failures.isEmpty()) {
            md.append("\nFailed:\n\n");
            failures.forEach(f -> md.append("- ").append(f).append('\n'));
        }
        List<Outcome> censused = outcomes.stream().filter(o -> !o.attemptsByOutcome().isEmpty()).toList();
        if (!censused.isEmpty()) {
            md.append("\nAttempt records written by each dispatcher run, by outcome (and error):\n\n");
            for (Outcome o : censused) {
                md.append("- run ").append(o.run()).append(", ").append(o.system()).append(": ");
                md.append(o.attemptsByOutcome().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                        .map(e -> String.format("%s × %,d", e.getKey(), e.getValue())).reduce((a, b) -> a + "; " + b).orElse(""));
                md.append('\n');
            }
        }
    }

    private static double perThousand(Outcome outcome, long nanos) {
        return nanos / 1e9 / (outcome.timing().delivered() / 1000.0);
    }

    private Optional<Double> rateIn(String system, int run) {
        return outcomes.stream().filter(o -> o.system().equals(system) && o.run() == run && o.timing() != null)
                .map(o -> o.timing().rate()).findFirst();
    }

    private Optional<Double> median(String system, ToDoubleFunction<Outcome> figure) {
        double[] values = outcomes.stream().filter(o -> o.system().equals(system) && o.timing() != null).mapToDouble(figure)
                .sorted().toArray();
        if (values.length == 0) {
            return Optional.empty();
        }
        int mid = values.length / 2;
        return Optional.of(values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2);
    }
}
