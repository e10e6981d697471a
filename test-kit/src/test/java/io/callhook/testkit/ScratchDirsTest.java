package io.callhook.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What a scratch folder holds after its JVM has exited: only its logs. */
class ScratchDirsTest {

    @Test
    void aScratchFolderIsEmptiedButForItsLogsWhenItsJvmExits() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Child.class.getName())
                .redirectErrorStream(true).start();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the child JVM exits").isTrue();
        Path dir = Path.of(new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());

        try (Stream<Path> left = Files.walk(dir)) {
            assertThat(left.map(dir::relativize).map(Path::toString))
                    .containsExactlyInAnyOrder("", "logs", "logs/service.log");
        } finally {
            Files.delete(dir.resolve("logs/service.log"));
            Files.delete(dir.resolve("logs"));
            Files.delete(dir);
        }
    }

    /** Fills a scratch folder as a test's services do, prints where it is, and exits. */
    static final class Child {
        public static void main(String[] args) throws IOException {
            Path dir = ScratchDirs.create("scratch-dirs-test");
            Files.createDirectories(dir.resolve("state/0_1"));
            Files.writeString(dir.resolve("state/0_1/000001.sst"), "table");
            Files.createDirectories(dir.resolve("logs"));
            Files.writeString(dir.resolve("logs/service.log"), "what happened");
            System.out.println(dir);
        }
    }
}
