package io.callhook.testkit;

import io.callhook.launch.Folders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

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
            Folders.emptyQuietly(dir, dir.resolve("logs"));
        }
    }
}
