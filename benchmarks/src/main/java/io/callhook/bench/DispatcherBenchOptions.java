package io.callhook.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The dispatcher benchmark's command line. Every option has a default; a bad one stops the
 * benchmark at once with a message naming it.
 *
 * @param records         webhook requests on the outbound topic
 * @param subscriptions   subscriptions they are spread over (keys of the outbound topic)
 * @param partitions      partitions of the outbound and subscriptions topics
 * @param runs            how many times each system is measured; even runs go in reverse order
 * @param order           systems of the first run, in order
 * @param dispatcherJar   the dispatcher's production jar (its lib/ beside it)
 * @param baselineJar     another build of the dispatcher measured as system "baseline", or null
 * @param dispatcherEnv   settings given to both dispatchers besides the benchmark's (none by default: default settings)
 * @param jvmOptions      options of every measured JVM (dispatcher, baseline, Camel, plain loop)
 * @param wrkSeconds      how long the HTTP limit runs
 * @param wrkConnections  keep-alive connections of the HTTP limit
 * @param nginxWorkers    nginx worker processes
 * @param portBase        first of six consecutive ports (broker, controller, registry, nginx, ops ports); 0 picks free ones
 * @param jfrDir          where to write a JFR recording (settings=profile) of each measured JVM, or null for none
 * @param jfrOptions      more options of those recordings, e.g. {@code method-profiling=max}
 * @param output          the Markdown report
 */
record DispatcherBenchOptions(int records, int subscriptions, int partitions, int runs, List<String> order,
                              Path dispatcherJar, Path baselineJar, Map<String, String> dispatcherEnv, List<String> jvmOptions,
                              int wrkSeconds,
                              int wrkConnections, int nginxWorkers, int portBase, Path jfrDir, String jfrOptions, Path output) {

    static final String LIMIT = "limit";
    static final String DISPATCHER = "dispatcher";
    static final String BASELINE = "baseline";
    static final String CAMEL = "camel";
    static final String PLAIN = "plain";
    private static final List<String> SYSTEMS = List.of(LIMIT, DISPATCHER, BASELINE, CAMEL, PLAIN);

    static final String USAGE = """
            Usage: ./callhook bench dispatcher [options]
              --records N            webhook requests on the outbound topic (default 200000)
              --subscriptions N      subscriptions, the topic's keys (default 1000)
              --partitions N         partitions of the outbound topic (default 12)
              --runs N               measure every system N times; even runs reverse the order (default 1)
              --order a,b,...        systems of the first run, from limit, dispatcher, baseline, camel, plain
                                     (default limit,dispatcher,camel,plain; baseline is added after dispatcher
                                     when --baseline-jar is given)
              --dispatcher-jar PATH  the dispatcher jar to measure, its lib/ beside it
                                     (default dispatcher-worker/target/dispatcher-worker.jar)
              --baseline-jar PATH    also measure this build of the dispatcher, as "baseline"
              --dispatcher-env K=V   a setting for both dispatchers, e.g. CALLHOOK_HTTP_CONNECT_TIMEOUT=30s (repeatable;
                                     the report lists them: the figures are then not of the default settings)
              --jvm-opts "..."       options of every measured JVM (default "-Xmx1g")
              --wrk-seconds N        duration of the HTTP limit (default 10)
              --wrk-connections N    keep-alive connections of the HTTP limit (default 64)
              --nginx-workers N      nginx worker processes (default 2)
              --port-base N          use ports N..N+5 (broker, controller, registry, nginx, ops ports); default: free ports
              --jfr DIR              record each measured JVM with JFR (settings=profile) into DIR
              --jfr-options OPTS     more recording options, e.g. method-profiling=max (1 ms samples)
              --output PATH          the report (default bench-results/dispatcher.md)
            """;

    static DispatcherBenchOptions parse(String[] args, Path root) {
        int records = 200_000;
        int subscriptions = 1_000;
        int partitions = 12;
        int runs = 1;
        List<String> order = null;
        Path dispatcherJar = root.resolve("dispatcher-worker/target/dispatcher-worker.jar");
        Path baselineJar = null;
        Map<String, String> dispatcherEnv = new TreeMap<>();
        List<String> jvmOptions = List.of("-Xmx1g");
        int wrkSeconds = 10;
        int wrkConnections = 64;
        int nginxWorkers = 2;
        int portBase = 0;
        Path jfrDir = null;
        String jfrOptions = "";
        Path output = root.resolve("bench-results/dispatcher.md");
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("-h") || option.equals("--help")) {
                throw new IllegalArgumentException("");
            }
            if (i + 1 == args.length) {
                throw new IllegalArgumentException(option + ": a value is missing");
            }
            String value = args[++i];
            switch (option) {
                case "--records" -> records = positive(option, value);
                case "--subscriptions" -> subscriptions = positive(option, value);
                case "--partitions" -> partitions = positive(option, value);
                case "--runs" -> runs = positive(option, value);
                case "--order" -> order = systems(option, value);
                case "--dispatcher-jar" -> dispatcherJar = jar(option, value);
                case "--baseline-jar" -> baselineJar = jar(option, value);
                case "--dispatcher-env" -> {
                    int eq = value.indexOf('=');
                    if (eq <= 0 || !value.substring(0, eq).startsWith("CALLHOOK_")) {
                        throw new IllegalArgumentException(option + ": '" + value + "' is not CALLHOOK_NAME=value");
                    }
                    dispatcherEnv.put(value.substring(0, eq), value.substring(eq + 1));
                }
                case "--jvm-opts" -> jvmOptions = value.isBlank() ? List.of() : Arrays.asList(value.trim().split("\\s+"));
                case "--wrk-seconds" -> wrkSeconds = positive(option, value);
                case "--wrk-connections" -> wrkConnections = positive(option, value);
                case "--nginx-workers" -> nginxWorkers = positive(option, value);
                case "--port-base" -> portBase = port(option, value);
                case "--jfr" -> jfrDir = Path.of(value).toAbsolutePath();
                case "--jfr-options" -> jfrOptions = value.trim();
                case "--output" -> output = Path.of(value).toAbsolutePath();
                default -> throw new IllegalArgumentException(option + ": unknown option");
            }
        }
        if (order == null) {
            order = new ArrayList<>(List.of(LIMIT, DISPATCHER, CAMEL, PLAIN));
            if (baselineJar != null) {
                order.add(2, BASELINE);
            }
        }
        if (order.contains(BASELINE) && baselineJar == null) {
            throw new IllegalArgumentException("--order: 'baseline' needs --baseline-jar");
        }
        if (order.contains(DISPATCHER) && !Files.isRegularFile(dispatcherJar)) {
            throw new IllegalArgumentException("--dispatcher-jar: " + dispatcherJar + " does not exist (build it: ./callhook build)");
        }
        return new DispatcherBenchOptions(records, subscriptions, partitions, runs, List.copyOf(order), dispatcherJar, baselineJar,
                Map.copyOf(dispatcherEnv), List.copyOf(jvmOptions), wrkSeconds, wrkConnections, nginxWorkers, portBase, jfrDir,
                jfrOptions, output);
    }

    /** The systems of run {@code run} (1-based): the given order, reversed in even runs. */
    List<String> orderOf(int run) {
        List<String> systems = new ArrayList<>(order);
        if (run % 2 == 0) {
            java.util.Collections.reverse(systems);
        }
        return systems;
    }

    private static int positive(String option, String value) {
        try {
            int n = Integer.parseInt(value.replace("_", "").replace(",", ""));
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + ": '" + value + "' is not a positive whole number");
    }

    private static int port(String option, String value) {
        int port = positive(option, value);
        if (port > 65_530) {
            throw new IllegalArgumentException(option + ": " + port + " leaves no room for six ports");
        }
        return port;
    }

    private static List<String> systems(String option, String value) {
        List<String> systems = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String system : systems) {
            if (!SYSTEMS.contains(system)) {
                throw new IllegalArgumentException(option + ": '" + system + "' is not one of " + SYSTEMS);
            }
        }
        if (systems.isEmpty() || systems.stream().distinct().count() != systems.size()) {
            throw new IllegalArgumentException(option + ": name each system once, e.g. limit,dispatcher,camel,plain");
        }
        return systems;
    }

    private static Path jar(String option, String value) {
        Path jar = Path.of(value).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(option + ": " + jar + " is not a file");
        }
        return jar;
    }
}
