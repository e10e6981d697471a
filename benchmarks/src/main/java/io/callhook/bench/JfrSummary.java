package io.callhook.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a profiled process spent its CPU and allocations, from a JFR recording, as Markdown:
 * CPU by thread, execution samples by cost centre (what the dispatcher does per delivery:
 * decoding, signing, HTTP, producing attempts...), the hottest methods, the largest allocation
 * sites, GC and JIT totals. The cost centres name the dispatcher's work; for another process
 * most samples land in "other", and the method and thread tables still hold.
 *
 * <p>Usage: {@code java -cp 'benchmarks/target/benchmarks.jar:benchmarks/target/lib/*' io.callhook.bench.JfrSummary FILE.jfr
 * [top] [skip-seconds]}: with skip-seconds, events of the recording's first seconds (start-up) are left out.
 */
public final class JfrSummary {

    /** A cost centre: the frames that are its work (class-name prefixes). */
    private record Centre(String name, List<String> prefixes) {
        boolean owns(String frame) {
            for (String prefix : prefixes) {
                if (frame.startsWith(prefix)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Walking a sample's stack from the leaf down, the first frame some centre owns decides; in
     * one frame, the first centre listed. JDK frames belong to no centre: a HashMap lookup
     * counts for whoever called it.
     */
    private static final List<Centre> CENTRES = List.of(
            new Centre("Avro decoding (WebhookRequest records; subscriptions at start)",
                    List.of("io.callhook.serde.ConfluentAvroDeserializer")),
            new Centre("Avro encoding (DeliveryAttempt, retries, dead letters)", List.of("io.callhook.serde.ConfluentAvroSerializer")),
            new Centre("signing (HMAC-SHA256, Standard Webhooks headers)",
                    List.of("io.callhook.dispatcher.signing.", "javax.crypto.", "com.sun.crypto.provider.")),
            new Centre("LZ4 (produced and fetched batches)", List.of("net.jpountz.", "org.apache.kafka.common.compress.")),
            new Centre("metrics (Micrometer)", List.of("io.micrometer.")),
            new Centre("logging", List.of("ch.qos.logback.", "org.slf4j.")),
            new Centre("circuit breaker (resilience4j)", List.of("io.github.resilience4j.")),
            new Centre("SSRF guard and URL parsing (io.callhook.net)", List.of("io.callhook.net.")),
            new Centre("Kafka producer (append, batches, sender)", List.of("org.apache.kafka.clients.producer.")),
            new Centre("Kafka consumer (poll, fetch, records)", List.of("org.apache.kafka.clients.consumer.")),
            new Centre("Kafka client networking and record formats", List.of("org.apache.kafka.")),
            new Centre("dispatcher HTTP layer (WebhookSender, VertxExchange, PreparedRequest, results)",
                    List.of("io.callhook.dispatcher.http.")),
            new Centre("Vert.x / Netty HTTP client and socket I/O", List.of("io.vertx.core.http.", "io.vertx.core.net.", "io.netty.")),
            new Centre("delivery engine and dispatch loop (lanes, prepare, outcomes, offsets)", List.of("io.callhook.")),
            new Centre("Vert.x core (contexts, tasks, futures)", List.of("io.vertx.")));

    private JfrSummary() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("Usage: JfrSummary FILE.jfr [top]");
            System.exit(2);
        }
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        Duration skip = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 0);
        System.out.print(summarize(Path.of(args[0]), top, skip));
    }

    static String summarize(Path file, int top, Duration skip) throws IOException {
        Map<String, Double> threadCpu = new HashMap<>();
        Map<String, Long> samplesByThread = new HashMap<>();
        Map<String, Long> samplesByCentre = new LinkedHashMap<>();
        Map<String, Map<String, Long>> framesByCentre = new HashMap<>();
        Map<String, Long> selfMethods = new HashMap<>();
        Map<String, Long> ourMethods = new HashMap<>();
        Map<String, Long> allocationBytes = new HashMap<>();
        Map<String, Long> allocationByClass = new HashMap<>();
        long samples = 0;
        long allocated = 0;
        Duration gcPauses = Duration.ZERO;
        long gcs = 0;
        Duration compiling = Duration.ZERO;
        long compilations = 0;
        java.time.Instant first = null;
        java.time.Instant last = null;
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        java.time.Instant start = events.stream().map(RecordedEvent::getStartTime).min(java.time.Instant::compareTo)
                .orElse(java.time.Instant.EPOCH).plus(skip);
        for (RecordedEvent event : events) {
            if (event.getStartTime().isBefore(start)) {
                continue;
            }
            String type = event.getEventType().getName();
            first = first == null || event.getStartTime().isBefore(first) ? event.getStartTime() : first;
            last = last == null || event.getEndTime().isAfter(last) ? event.getEndTime() : last;
            switch (type) {
                case "jdk.ThreadCPULoad" -> {
                    threadCpu.merge(threadGroup(event.getThread("eventThread")),
                            (double) event.getFloat("user") + event.getFloat("system"), Double::sum);
                }
                case "jdk.ExecutionSample" -> {
                    samples++;
                    samplesByThread.merge(threadGroup(event.getThread("sampledThread")), 1L, Long::sum);
                    List<String> stack = frames(event.getStackTrace());
                    String[] centre = centreOf(stack);
                    samplesByCentre.merge(centre[0], 1L, Long::sum);
                    framesByCentre.computeIfAbsent(centre[0], k -> new HashMap<>()).merge(centre[1], 1L, Long::sum);
                    if (!stack.isEmpty()) {
                        selfMethods.merge(stack.get(0), 1L, Long::sum);
                    }
                    stack.stream().filter(frame -> frame.startsWith("io.callhook.") && !frame.contains("$$Lambda")).distinct()
                            .forEach(frame -> ourMethods.merge(frame, 1L, Long::sum));
                }
                case "jdk.ObjectAllocationSample" -> {
                    long weight = event.getLong("weight");
                    allocated += weight;
                    List<String> stack = frames(event.getStackTrace());
                    allocationBytes.merge(allocationSite(stack), weight, Long::sum);
                    allocationByClass.merge(event.getClass("objectClass").getName(), weight, Long::sum);
                }
                case "jdk.GarbageCollection" -> {
                    gcs++;
                    gcPauses = gcPauses.plus(event.getDuration("sumOfPauses"));
                }
                case "jdk.Compilation" -> {
                    compilations++;
                    compiling = compiling.plus(event.getDuration());
                }
                default -> {
                    // not summarized
                }
            }
        }
        StringBuilder md = new StringBuilder();
        md.append(String.format("Recording: %s%s, %.1f s, %,d execution samples, %,d MB allocated (sampled weight), "
                        + "%,d GCs with %,d ms of pauses, %,d JIT compilations taking %,d ms.%n%n", file.getFileName(),
                skip.isZero() ? "" : " without its first " + skip.toSeconds() + " s",
                first == null ? 0.0 : Duration.between(first, last).toMillis() / 1000.0, samples, allocated / 1_000_000, gcs,
                gcPauses.toMillis(), compilations, compiling.toMillis()));
        md.append("CPU by thread (jdk.ThreadCPULoad, share of the process's sampled thread CPU; pool threads folded by name):\n\n");
        table(md, "thread", "share", shares(threadCpu), top);
        md.append("\nExecution samples by thread (Java code only):\n\n");
        table(md, "thread", "samples", percent(samplesByThread, samples), top);
        md.append("\nExecution samples by cost centre (the first library or project frame from the leaf down decides):\n\n");
        table(md, "cost centre", "samples", percent(samplesByCentre, samples), top);
        long sampleCount = samples;
        md.append("\nWithin the six largest cost centres, the frames that decided (the first of the centre's own frames from the leaf):\n\n");
        samplesByCentre.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())).limit(6)
                .map(Map.Entry::getKey).toList().forEach(centre -> {
                    md.append("**").append(centre).append("**\n\n");
                    table(md, "frame", "samples", percent(framesByCentre.get(centre), sampleCount), 8);
                    md.append('\n');
                });
        md.append("Hottest methods (self time, leaf frame):\n\n");
        table(md, "method", "samples", percent(selfMethods, samples), top);
        md.append("\nProject methods, inclusive (samples with the method anywhere on the stack):\n\n");
        table(md, "method", "samples", percent(ourMethods, samples), top);
        md.append("\nAllocation by site (first frame outside java.*, jdk.*, sun.*):\n\n");
        table(md, "site", "bytes", percent(allocationBytes, allocated), top);
        md.append("\nAllocation by class:\n\n");
        table(md, "class", "bytes", percent(allocationByClass, allocated), top);
        return md.toString();
    }

    /** The centre a sample belongs to, and the frame that decided it. */
    private static String[] centreOf(List<String> stack) {
        for (String frame : stack) {
            for (Centre centre : CENTRES) {
                if (centre.owns(frame)) {
                    return new String[] {centre.name(), frame};
                }
            }
        }
        return new String[] {"JDK only (no library frame on the stack)", stack.isEmpty() ? "?" : stack.get(0)};
    }

    private static List<String> frames(RecordedStackTrace trace) {
        List<String> frames = new ArrayList<>();
        if (trace != null) {
            for (RecordedFrame frame : trace.getFrames()) {
                if (frame.isJavaFrame()) {
                    frames.add(frame.getMethod().getType().getName() + "." + frame.getMethod().getName());
                }
            }
        }
        return frames;
    }

    private static String allocationSite(List<String> stack) {
        for (String frame : stack) {
            if (!frame.startsWith("java.") && !frame.startsWith("jdk.") && !frame.startsWith("sun.")) {
                return frame;
            }
        }
        return stack.isEmpty() ? "?" : stack.get(0);
    }

    /** Folds pool threads: "vert.x-eventloop-thread-1" and "-0" are one row, "kafka-producer-network-thread | producer-1" too. */
    private static String threadGroup(RecordedThread thread) {
        if (thread == null) {
            return "(not a Java thread)";
        }
        String name = thread.getJavaName() != null ? thread.getJavaName() : thread.getOSName();
        if (name == null) {
            return "?";
        }
        return name.replaceAll(" \\| .*", "").replaceAll("[-#]?\\d+$", "").replaceAll("\\d+$", "");
    }

    /** Each thread's share of the summed loads: every event covers the same period, so the sum is its CPU time. */
    private static Map<String, Double> shares(Map<String, Double> loads) {
        double total = loads.values().stream().mapToDouble(Double::doubleValue).sum();
        Map<String, Double> shares = new HashMap<>();
        loads.forEach((thread, load) -> shares.put(thread, total == 0 ? 0 : 100 * load / total));
        return shares;
    }

    private static Map<String, Double> percent(Map<String, Long> counts, long total) {
        Map<String, Double> percent = new HashMap<>();
        counts.forEach((key, count) -> percent.put(key, total == 0 ? 0 : 100.0 * count / total));
        return percent;
    }

    private static void table(StringBuilder md, String what, String unit, Map<String, Double> percent, int top) {
        md.append("| ").append(what).append(" | % of ").append(unit).append(" |\n|---|---:|\n");
        percent.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())).limit(top)
                .forEach(e -> md.append(String.format("| `%s` | %.1f |%n", e.getKey(), e.getValue())));
    }
}
