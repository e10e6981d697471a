package io.callhook.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.launch.ProjectFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's staleness rule ({@code scripts/stale-modules.sh}, which {@code ./callhook demo},
 * {@code bench} and {@code cli} run before starting anything): on a copy of the project's real
 * pom files, with jars and sources whose times the test sets, an edit in a module a service is
 * built on (payload-model, delivery-policy, service-kit, process-launch) makes that service's jar stale, and an edit
 * in an unrelated module does not. The jars are empty files: only their times matter here.
 */
class LauncherStalenessTest {

    private static final List<String> DEMO_RUNS = List.of("schema-registry", "enricher-stream", "dispatcher-worker",
            "subscription-store", "demo");
    private static final Instant BUILT = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path tree;
    private Path root;

    @BeforeEach
    void copyTheProjectsPoms() throws IOException {
        root = ProjectFiles.locate("scripts/stale-modules.sh", "callhook.stale.script", "the launcher's staleness rule",
                "run from the project").getParent().getParent();
        Files.copy(root.resolve("pom.xml"), tree.resolve("pom.xml"));
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(dir -> Files.isRegularFile(dir.resolve("pom.xml"))).toList()) {
                Path copy = Files.createDirectories(tree.resolve(module.getFileName()));
                Files.copy(module.resolve("pom.xml"), copy.resolve("pom.xml"));
                Path source = write(copy.resolve("src/main/java/Some.java"), "class Some {}");
                Path jar = module.getFileName().toString().equals("schema-registry")
                        ? copy.resolve("target/quarkus-app/quarkus-run.jar") : copy.resolve("target/" + module.getFileName() + ".jar");
                write(jar, "");
                age(source, BUILT.minusSeconds(60));
                age(copy.resolve("pom.xml"), BUILT.minusSeconds(60));
                age(jar, BUILT);
            }
        }
        age(tree.resolve("pom.xml"), BUILT.minusSeconds(60));
    }

    @Test
    void nothingIsStaleWhenEveryJarIsNewerThanEverySource() throws Exception {
        assertThat(stale(DEMO_RUNS)).isEmpty();
    }

    @Test
    void anEditInPayloadModelMakesEveryServiceBuiltOnItStale() throws Exception {
        age(tree.resolve("payload-model/src/main/java/Some.java"), BUILT.plusSeconds(5));

        assertThat(stale(DEMO_RUNS)).containsExactly("enricher-stream", "dispatcher-worker", "subscription-store", "demo");
    }

    @Test
    void anEditInServiceKitsPomOrTheLaunchersReachesTheDemoToo() throws Exception {
        age(tree.resolve("service-kit/pom.xml"), BUILT.plusSeconds(5));
        assertThat(stale(List.of("demo", "schema-registry"))).containsExactly("demo");

        age(tree.resolve("service-kit/pom.xml"), BUILT.minusSeconds(60));
        // The demo runs its children with the process launchers.
        age(tree.resolve("process-launch/src/main/java/Some.java"), BUILT.plusSeconds(5));
        assertThat(stale(List.of("demo"))).containsExactly("demo");
        age(tree.resolve("process-launch/src/main/java/Some.java"), BUILT.minusSeconds(60));

        // The SSRF guard reaches every service, through service-kit.
        age(tree.resolve("delivery-policy/src/main/java/Some.java"), BUILT.plusSeconds(5));
        assertThat(stale(DEMO_RUNS)).containsExactly("enricher-stream", "dispatcher-worker", "subscription-store", "demo");
    }

    @Test
    void anEditElsewhereOrAMissingJar() throws Exception {
        age(tree.resolve("docs/src/main/java/Some.java"), BUILT.plusSeconds(5));
        assertThat(stale(DEMO_RUNS)).as("docs is built into nothing the demo runs").isEmpty();

        Files.delete(tree.resolve("dispatcher-worker/target/dispatcher-worker.jar"));
        assertThat(stale(DEMO_RUNS)).containsExactly("dispatcher-worker");

        age(tree.resolve("pom.xml"), BUILT.plusSeconds(5));
        assertThat(stale(List.of("schema-registry"))).as("the root pom pins every version").containsExactly("schema-registry");
    }

    @Test
    void theLauncherAsksTheRuleBeforeTheDemoTheBenchmarksAndTheCli() throws Exception {
        String launcher = Files.readString(root.resolve("callhook"));
        assertThat(launcher).contains("\"$root/scripts/stale-modules.sh\" \"$root\" \"$@\"");
        // After a build every jar it asked for is marked as built, as Maven leaves unchanged jars as they were.
        assertThat(launcher).contains("touch -c \"$(\"$root/scripts/stale-modules.sh\" --jar \"$root\" \"$module\")\"");
        for (String command : List.of("cmd_demo", "cmd_bench", "cmd_cli")) {
            String body = launcher.substring(launcher.indexOf(command + "() {"));
            body = body.substring(0, body.indexOf("\n}\n"));
            assertThat(body).as(command).contains("build_if_stale ");
        }
    }

    private List<String> stale(List<String> modules) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Stream.concat(
                Stream.of("bash", root.resolve("scripts/stale-modules.sh").toString(), tree.toString()), modules.stream()).toList());
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output.lines().filter(line -> !line.isBlank()).toList();
    }

    private static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    private static void age(Path file, Instant at) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(at));
    }
}
