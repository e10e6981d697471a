package io.callhook.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** What a benchmark report says about the machine it ran on, read from /proc and the JVM. */
final class MachineFacts {

    private MachineFacts() {
    }

    /** e.g. "2 cores (Intel(R) Xeon(R) ...), 23.5 GiB, Linux 6.1.0, OpenJDK 17.0.15". */
    static String describe() {
        String model = read("/proc/cpuinfo").flatMap(text -> text.lines().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst()).orElse("unknown CPU");
        String memory = read("/proc/meminfo").flatMap(text -> text.lines().filter(l -> l.startsWith("MemTotal"))
                .map(l -> String.format("%.1f GiB", Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0)).findFirst())
                .orElse("? GiB");
        return String.format("%d cores (%s), %s, %s %s, Java %s (%s)", Runtime.getRuntime().availableProcessors(), model, memory,
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("java.version"),
                System.getProperty("java.vm.name"));
    }

    /** The 1, 5 and 15 minute load averages, as {@code uptime} shows them. */
    static String loadAverage() {
        return read("/proc/loadavg").map(text -> {
            String[] fields = text.trim().split("\\s+");
            return fields[0] + ", " + fields[1] + ", " + fields[2];
        }).orElse("?");
    }

    private static Optional<String> read(String file) {
        try {
            return Optional.of(Files.readString(Path.of(file)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
