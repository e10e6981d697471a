package io.callhook.bench;

import java.io.IOException;
import java.nio.file.Path;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JFR recording of part of a benchmark run (JFR's "profile" settings), written to the file
 * named by {@code -Dbench.jfr} when the part ends; nothing when that property is not set.
 */
final class JfrRecording implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JfrRecording.class);

    private final Recording recording;
    private final Path file;

    private JfrRecording(Recording recording, Path file) {
        this.recording = recording;
        this.file = file;
    }

    static JfrRecording startIfAsked() throws Exception {
        String file = System.getProperty("bench.jfr");
        if (file == null || file.isBlank()) {
            return new JfrRecording(null, null);
        }
        Recording recording = new Recording(Configuration.getConfiguration("profile"));
        recording.start();
        return new JfrRecording(recording, Path.of(file));
    }

    @Override
    public void close() throws IOException {
        if (recording != null) {
            recording.stop();
            recording.dump(file);
            recording.close();
            LOG.info("JFR recording written to {}", file);
        }
    }
}
