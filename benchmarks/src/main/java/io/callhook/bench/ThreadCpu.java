package io.callhook.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where this JVM's CPU goes, by kind of thread: Java threads by name (numbers and ids folded, so
 * both stream threads count as one), the JIT compilers and the garbage collector from the
 * kernel's per-thread counters, and the rest of the JVM's own threads. Linux only for the last
 * three; Java threads anywhere.
 */
final class ThreadCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final long NANOS_PER_TICK = 10_000_000; // USER_HZ is 100 on Linux

    private ThreadCpu() {
    }

    /** CPU nanoseconds so far by kind of thread. */
    static Map<String, Long> snapshot() {
        Map<String, Long> byKind = new HashMap<>();
        long javaThreads = 0;
        long[] ids = THREADS.getAllThreadIds();
        ThreadInfo[] infos = THREADS.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            long cpu = THREADS.getThreadCpuTime(ids[i]);
            if (infos[i] == null || cpu < 0) {
                continue;
            }
            byKind.merge(fold(infos[i].getThreadName()), cpu, Long::sum);
            javaThreads += cpu;
        }
        long jit = 0;
        long gc = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                String name = read(task.resolve("comm")).trim();
                if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                    jit += ticks(task) * NANOS_PER_TICK;
                } else if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
                    gc += ticks(task) * NANOS_PER_TICK;
                }
            }
        } catch (IOException | RuntimeException notLinux) {
            // Java threads only.
        }
        byKind.put("(JIT compiler)", jit);
        byKind.put("(garbage collector)", gc);
        byKind.put("(other JVM threads)", Math.max(0, OS.getProcessCpuTime() - javaThreads - jit - gc));
        return byKind;
    }

    /** The kinds that used the most CPU between two snapshots, as Markdown rows of seconds per 1,000 events. */
    static List<String> rows(Map<String, Long> before, Map<String, Long> after, double thousandEvents, int top) {
        List<Map.Entry<String, Long>> used = new ArrayList<>();
        long total = 0;
        for (Map.Entry<String, Long> kind : after.entrySet()) {
            long delta = kind.getValue() - before.getOrDefault(kind.getKey(), 0L);
            if (delta > 0) {
                used.add(Map.entry(kind.getKey(), delta));
                total += delta;
            }
        }
        used.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        List<String> rows = new ArrayList<>();
        for (Map.Entry<String, Long> kind : used.subList(0, Math.min(top, used.size()))) {
            rows.add(String.format("| %s | %.4f | %.0f %% |", kind.getKey(), kind.getValue() / 1e9 / thousandEvents,
                    100.0 * kind.getValue() / total));
        }
        return rows;
    }

    private static String fold(String name) {
        return name.replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "*").replaceAll("\\d+", "N");
    }

    private static long ticks(Path task) throws IOException {
        String stat = read(task.resolve("stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file);
    }
}
