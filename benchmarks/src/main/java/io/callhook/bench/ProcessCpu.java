package io.callhook.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time of a process and its live descendants as the kernel counts it: user plus system
 * time from {@code /proc/<pid>/stat} (the whole process, every thread: JIT, GC, I/O). Linux only.
 */
final class ProcessCpu {

    private static final long TICKS_PER_SECOND = clockTicks();

    private ProcessCpu() {
    }

    /** CPU used so far by {@code pid} and every process below it that is still running. */
    static Duration ofTree(long pid) {
        List<Long> pids = new ArrayList<>();
        pids.add(pid);
        ProcessHandle.of(pid).ifPresent(handle -> handle.descendants().forEach(child -> pids.add(child.pid())));
        long ticks = 0;
        for (long each : pids) {
            ticks += ticks(each);
        }
        return Duration.ofNanos(ticks * 1_000_000_000L / TICKS_PER_SECOND);
    }

    /** utime + stime of one process, 0 once it is gone. */
    private static long ticks(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException gone) {
            return 0;
        }
        // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static long clockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes()).trim();
            getconf.waitFor();
            return Long.parseLong(out);
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
