package io.callhook.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Temp folders for tests that keep state on disk (Kafka Streams state, a demo's data, a receiver's
 * files), emptied when the test JVM exits but for a {@code logs} folder in them, which a failed
 * test's message may point to. Each such test used to leave its whole folder in the temp dir:
 * every {@code ./callhook test} run added about 100 MB there. Emptied at exit rather than after
 * each test because the services writing into them stop in the tests' own {@code @AfterAll}
 * steps, in whatever order; by the JVM's exit all of them have.
 */
public final class ScratchDirs {

    private static final List<Path> CREATED = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ScratchDirs::deleteAll, "scratch-dirs"));
    }

    private ScratchDirs() {
    }

    /** A new, empty folder in the temp dir whose name starts with {@code prefix}, emptied at JVM exit but for {@code logs}. */
    public static Path create(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        CREATED.add(dir);
        return dir;
    }

    private static void deleteAll() {
        for (Path dir : CREATED) {
            deleteQuietly(dir);
        }
    }

    /** Best effort: a file still held by a process that outlived its test stays, and so does its folder. */
    private static void deleteQuietly(Path dir) {
        Path logs = dir.resolve("logs");
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.filter(path -> !path.startsWith(logs)).sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    // left for the OS's temp cleaning
                }
            }
        } catch (IOException | RuntimeException e) {
            // the folder is already gone, or unreadable: nothing more to do
        }
    }
}
