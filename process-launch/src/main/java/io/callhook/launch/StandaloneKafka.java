package io.callhook.launch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka (broker and controller in one process) run from the kafka_2.13
 * jars on our classpath: {@code StorageTool format --standalone} once, then {@code kafka.Kafka}.
 * Its data stays in {@code dir}, so a second start finds its topics again.
 */
public final class StandaloneKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StandaloneKafka.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final ChildProcess process;
    private final String bootstrap;

    private StandaloneKafka(ChildProcess process, String bootstrap) {
        this.process = process;
        this.bootstrap = bootstrap;
    }

    /** Starts the broker and waits until it answers. */
    public static StandaloneKafka start(Path dir, int port, int controllerPort, Path classpathDir, JvmProfile profile)
            throws Exception {
        StandaloneKafka kafka = launch(dir, port, controllerPort, classpathDir, profile);
        try {
            return kafka.awaitReady();
        } catch (Exception e) {
            kafka.close();
            throw e;
        }
    }

    /**
     * Formats the storage on first use and starts the broker without waiting for it, so that its
     * owner can register it for an orderly stop before the wait; then {@link #awaitReady()}.
     */
    public static StandaloneKafka launch(Path dir, int port, int controllerPort, Path classpathDir, JvmProfile profile)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path config = dir.resolve("server.properties");
        Path logs = dir.resolve("logs");
        Files.writeString(config, serverProperties(port, controllerPort, logs));
        Path logging = dir.resolve("logback.xml");
        Files.writeString(logging, """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{ISO8601} %-5level %logger{30} - %msg%n</pattern></encoder>
                  </appender>
                  <root level="WARN"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        List<String> jvm = new ArrayList<>(List.of("-Xms256m", "-Xmx384m"));
        jvm.addAll(profile.options());
        jvm.addAll(List.of("-Dlogback.configurationFile=" + logging, "-cp", classpathDir.resolve("*").toString()));
        if (!Files.exists(logs.resolve("meta.properties"))) {
            format(config, jvm, dir.resolve("format.log"));
        }
        ChildProcess process = ChildProcess.startMain("kafka", jvm, "kafka.Kafka", List.of(config.toString()), Map.of(),
                dir.resolve("kafka.log"));
        return new StandaloneKafka(process, "127.0.0.1:" + port);
    }

    private static void format(Path config, List<String> jvm, Path log) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvm);
        command.addAll(List.of("kafka.tools.StorageTool", "format", "--standalone", "-t", Uuid.randomUuid().toString(),
                "-c", config.toString()));
        Process format = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                throw new IllegalStateException("Formatting Kafka's storage failed; see " + log);
            }
        } finally {
            format.destroyForcibly();
        }
    }

    private static String serverProperties(int port, int controllerPort, Path logs) throws IOException {
        Properties props = new Properties();
        try (InputStream defaults = StandaloneKafka.class.getResourceAsStream("/demo/kafka-server.properties")) {
            props.load(defaults);
        }
        props.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.setProperty("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        props.setProperty("log.dirs", logs.toString());
        StringBuilder text = new StringBuilder("# Written by the Callhook demo at each start.\n");
        props.stringPropertyNames().stream().sorted().forEach(key -> text.append(key).append('=').append(props.getProperty(key)).append('\n'));
        return text.toString();
    }

    /** Waits until the broker answers (60 s at most), failing early if it exits. */
    public StandaloneKafka awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap, "request.timeout.ms", 2000,
                "default.api.timeout.ms", 3000))) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Kafka exited during start; see " + process.logFile());
                }
                try {
                    admin.listTopics().names().get(3, TimeUnit.SECONDS);
                    LOG.info("Kafka ready at {}", bootstrap);
                    return this;
                } catch (ExecutionException | TimeoutException notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Kafka not ready within " + READY_TIMEOUT + "; see " + process.logFile());
                    }
                    Thread.sleep(250);
                }
            }
        }
    }

    /** The broker's process, e.g. to find it again after its parent was killed. */
    public ProcessHandle handle() {
        return process.handle();
    }

    /** CPU time the broker has used so far. */
    public Duration cpu() {
        return process.cpu();
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
