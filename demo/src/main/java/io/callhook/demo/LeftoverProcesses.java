package io.callhook.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's child processes, written down in its data folder, so that the next start can stop
 * those a killed demo left running. The children run in process groups of their own (a Ctrl-C
 * reaches only the demo, which stops them in order), so a demo killed with SIGKILL cannot take
 * them along; without this, the next start would find the broker's port and data taken.
 * A process is recognised by its id and its start time, never by its id alone (ids are reused).
 */
final class LeftoverProcesses {

    private static final Logger LOG = LoggerFactory.getLogger(LeftoverProcesses.class);
    private static final long STOP_GRACE_SECONDS = 15;

    private final Path file;

    LeftoverProcesses(Path file) {
        this.file = file;
    }

    /** Writes down a started child. */
    synchronized void record(String name, ProcessHandle process) throws IOException {
        Optional<Instant> started = process.info().startInstant();
        if (started.isEmpty()) {
            return;
        }
        Files.writeString(file, name + " " + process.pid() + " " + started.get() + "\n", StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /** Forgets the children once they were stopped in order. */
    synchronized void clear() throws IOException {
        Files.deleteIfExists(file);
    }

    /**
     * Stops the children of an earlier demo that are still running, the last started first
     * (services, then the registry, then the broker): SIGTERM, then SIGKILL after 15 s.
     *
     * @return how many there were
     */
    synchronized int stopLeftovers() throws IOException, InterruptedException {
        if (!Files.exists(file)) {
            return 0;
        }
        List<String> lines = Files.readAllLines(file);
        List<ProcessHandle> alive = new ArrayList<>();
        for (String line : lines) {
            String[] fields = line.strip().split(" ");
            if (fields.length != 3) {
                continue;
            }
            ProcessHandle.of(Long.parseLong(fields[1]))
                    .filter(p -> p.info().startInstant().map(Instant::toString).orElse("").equals(fields[2]))
                    .ifPresent(p -> {
                        LOG.warn("{} (pid {}) of an earlier demo is still running; stopping it", fields[0], p.pid());
                        alive.add(p);
                    });
        }
        for (int i = alive.size() - 1; i >= 0; i--) {
            ProcessHandle process = alive.get(i);
            process.destroy();
            try {
                process.onExit().get(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                process.destroyForcibly();
                process.onExit().join();
            }
        }
        clear();
        return alive.size();
    }
}
