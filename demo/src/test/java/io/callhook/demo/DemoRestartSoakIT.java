package io.callhook.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callhook.demo.inspector.ReceivedWebhook;
import io.callhook.demo.inspector.SignatureCheck;
import io.callhook.demo.inspector.WebhookInspector;
import io.callhook.launch.ChildProcess;
import io.callhook.testkit.ScratchDirs;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole demo (standalone broker, registry, the three services, each a process) stopped and
 * started again twenty times on one data folder, the way users stop it: a terminal's Ctrl-C to
 * the demo's process group, SIGTERM to the demo, and SIGKILL of the demo and all its children at
 * once (a power cut, the OOM killer). After each start, a test webhook of a subscription made in
 * the first run must reach a receiver of this test's own, signed.
 *
 * <p>Each start must be running within 30 s of the start command; on a machine so loaded that
 * even the first, fresh start took longer, within 1.25 times that start (a restart that waits
 * for the old members' sessions, as it did, takes more than twice a fresh start). Cycles:
 * {@code -Dcallhook.soak.cycles} (default 20). Ports: free ones, or 8 from
 * {@code -Dcallhook.soak.port-base}.
 */
class DemoRestartSoakIT {

    private static final Logger LOG = LoggerFactory.getLogger(DemoRestartSoakIT.class);
    private static final Duration READY_LIMIT = Duration.ofSeconds(30);
    private static final double SLOW_MACHINE_FACTOR = 1.25;
    private static final Duration GIVE_UP = Duration.ofSeconds(180);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(60);
    private static final Duration WEBHOOK_LIMIT = Duration.ofSeconds(60);
    private static final String HOOK_PATH = "/hooks/soak";

    /** How a cycle ends. */
    private enum Stop { CTRL_C_TO_GROUP, SIGTERM_TO_DEMO, SIGKILL_ALL }

    private record Cycle(int n, Stop stop, Duration ready, Duration webhook, Duration stopped) {
    }

    @Test
    void theDemoComesBackAfterEveryKindOfStopAndDeliversEachTime() throws Exception {
        Run run = Run.named("demo-soak");
        Path output = run.output();
        Map<String, String> env = run.env();
        int cycles = Integer.getInteger("callhook.soak.cycles", 20);
        Vertx vertx = Vertx.vertx();
        WebhookInspector receiver = new WebhookInspector(vertx, "127.0.0.1", 0, 10_000, Clock.systemUTC());
        receiver.start().await();
        long soakStarted = System.nanoTime();
        List<Cycle> done = new ArrayList<>();
        String subscription = null;
        DemoProcess demo = null;
        try {
            for (int n = 1; n <= cycles; n++) {
                Stop stop = Stop.values()[(n - 1) % Stop.values().length];
                long offset = Files.exists(output) ? Files.size(output) : 0;
                demo = run.startDemo();
                Duration ready = demo.awaitRunning(GIVE_UP, offset);
                LOG.info("cycle {}: the demo ran {} ms after its start command", n, ready.toMillis());
                String storeUrl = "http://127.0.0.1:" + env.get("CALLHOOK_DEMO_STORE_PORT");
                if (subscription == null) {
                    subscription = subscribe(new DemoStoreClient(storeUrl, DemoMain.ADMIN_TOKEN), receiver);
                }
                Duration webhook = testWebhookArrives(storeUrl, subscription, receiver);
                Duration stopped = stop(demo, stop);
                done.add(new Cycle(n, stop, ready, webhook, stopped));
                LOG.info("cycle {}: test webhook in {} ms; stopped by {} in {} ms", n, webhook.toMillis(), stop, stopped.toMillis());
            }
        } finally {
            if (demo != null) {
                demo.killAll();
            }
            receiver.close();
            vertx.close().await();
            LOG.info("Soak: {} cycles in {} s\n{}", done.size(), (System.nanoTime() - soakStarted) / 1_000_000_000, table(done));
        }

        Duration fresh = done.get(0).ready();
        Duration limit = fresh.compareTo(READY_LIMIT) > 0
                ? Duration.ofMillis((long) (fresh.toMillis() * SLOW_MACHINE_FACTOR)) : READY_LIMIT;
        assertThat(done).hasSize(cycles);
        assertThat(done).as("cycles whose start took more than %s (fresh start: %s)\n%s", limit, fresh, table(done))
                .allSatisfy(cycle -> assertThat(cycle.ready()).isLessThanOrEqualTo(limit));
    }

    /**
     * A Ctrl-C while the demo starts (its services launched, not yet ready) stops everything at
     * once instead of when the start is over; then a demo SIGKILLed alone leaves its children
     * running, and the next start stops them before it starts anew (and runs).
     */
    @Test
    void ctrlCWhileStartingStopsAtOnceAndAKilledDemosChildrenAreStoppedByTheNextStart() throws Exception {
        Run run = Run.named("demo-stops");

        List<ProcessHandle> started = new ArrayList<>();
        try {
            stopsAtOnceAndCleansUp(run, started);
        } finally {
            started.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static void stopsAtOnceAndCleansUp(Run run, List<ProcessHandle> started) throws Exception {
        Path output = run.output();
        DemoProcess starting = run.startDemo();
        started.add(ProcessHandle.of(starting.pid()).orElseThrow());
        // The last of the services it launches (enricher, dispatcher, store), so all six are counted.
        awaitOutput(starting, "Started subscription-store", Duration.ofSeconds(120));
        List<ProcessHandle> all = starting.everything();
        started.addAll(all);
        assertThat(all).as("the demo, the broker, the registry and three services").hasSizeGreaterThanOrEqualTo(6);
        long demoGroup = processGroup(starting.pid());
        assertThat(all.stream().filter(p -> p.pid() != starting.pid()).map(p -> processGroup(p.pid())))
                .as("a terminal's Ctrl-C (to the demo's process group) must not reach the children").doesNotContain(demoGroup);
        long interrupted = System.nanoTime();
        starting.interruptGroup();
        assertThat(DemoProcess.awaitExited(all, Duration.ofSeconds(30))).as("all stopped; see %s", output).isTrue();
        Duration stopped = Duration.ofNanos(System.nanoTime() - interrupted);
        LOG.info("Ctrl-C during the start: everything stopped in {} ms", stopped.toMillis());
        assertThat(starting.outputSince(0)).doesNotContain(DemoProcess.RUNNING).contains("Callhook demo stopped");

        long firstOffset = Files.size(output);
        DemoProcess first = run.startDemo();
        started.add(ProcessHandle.of(first.pid()).orElseThrow());
        first.awaitRunning(GIVE_UP, firstOffset);
        started.addAll(first.everything());
        List<ProcessHandle> children = first.everything().stream().filter(p -> p.pid() != first.pid()).toList();
        ProcessHandle.of(first.pid()).ifPresent(ProcessHandle::destroyForcibly);
        assertThat(DemoProcess.awaitExited(List.of(ProcessHandle.of(first.pid()).orElseThrow()), Duration.ofSeconds(10))).isTrue();
        assertThat(children).as("children outlive a demo killed alone").allSatisfy(child -> assertThat(child.isAlive()).isTrue());

        long offset = Files.size(output);
        DemoProcess second = run.startDemo();
        started.add(ProcessHandle.of(second.pid()).orElseThrow());
        Duration ready = second.awaitRunning(GIVE_UP, offset);
        started.addAll(second.everything());
        LOG.info("Start after a demo was killed alone (stopping its {} children first): running in {} ms", children.size(),
                ready.toMillis());
        assertThat(children).as("the killed demo's children").noneSatisfy(child -> assertThat(child.isAlive()).isTrue());
        assertThat(second.outputSince(offset)).contains("processes an earlier demo left running");
        List<ProcessHandle> secondAll = second.everything();
        second.interruptGroup();
        assertThat(DemoProcess.awaitExited(secondAll, STOP_LIMIT)).isTrue();
    }

    /**
     * H2, the registry's database, does not always survive a kill: the soak once met a file it
     * could no longer open (error 90030, "File corrupted"), and the registry then never started.
     * Here the file is damaged on purpose; the demo must set it aside, restore the schemas it
     * exported under their ids, and run: the subscription made before, read back from its topic
     * with those ids, still gets its test webhook.
     */
    @Test
    void aRegistryDatabaseH2CannotReadIsReplacedByTheLastExportKeepingTheIds() throws Exception {
        Run run = Run.named("demo-registry");
        Path data = run.data();
        Path output = run.output();
        Map<String, String> env = run.env();
        String storeUrl = "http://127.0.0.1:" + env.get("CALLHOOK_DEMO_STORE_PORT");
        String registryUrl = "http://127.0.0.1:" + env.get("CALLHOOK_DEMO_REGISTRY_PORT");
        Vertx vertx = Vertx.vertx();
        WebhookInspector receiver = new WebhookInspector(vertx, "127.0.0.1", 0, 1_000, Clock.systemUTC());
        receiver.start().await();
        DemoProcess demo = null;
        try {
            demo = run.startDemo();
            demo.awaitRunning(GIVE_UP, 0);
            String subscription = subscribe(new DemoStoreClient(storeUrl, DemoMain.ADMIN_TOKEN), receiver);
            testWebhookArrives(storeUrl, subscription, receiver);
            String idBefore = schemaId(registryUrl, "webhooks.subscriptions-value");
            stop(demo, Stop.CTRL_C_TO_GROUP);

            Path database = data.resolve("registry").resolve("registry.mv.db");
            byte[] bytes = Files.readAllBytes(database);
            // Both of H2's file headers: it can then find none of its chunks.
            Arrays.fill(bytes, 0, Math.min(bytes.length, 8192), (byte) 0x5a);
            Files.write(database, bytes);

            long offset = Files.size(output);
            demo = run.startDemo();
            Duration ready = demo.awaitRunning(GIVE_UP, offset);
            LOG.info("Start on a damaged registry database: running in {} ms", ready.toMillis());
            assertThat(demo.outputSince(offset)).contains("registry's database is damaged");
            assertThat(schemaId(registryUrl, "webhooks.subscriptions-value")).isEqualTo(idBefore);
            testWebhookArrives(storeUrl, subscription, receiver);
            stop(demo, Stop.CTRL_C_TO_GROUP);
            demo = null;
        } finally {
            if (demo != null) {
                demo.killAll();
            }
            receiver.close();
            vertx.close().await();
        }
    }

    /** The id the registry gives the latest schema of a subject (its Confluent-compatible API). */
    private static String schemaId(String registryUrl, String subject) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(registryUrl + "/apis/ccompat/v7/subjects/" + subject + "/versions/latest")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body()).get("id").asText();
    }

    /** The process group of a process, from /proc (field 5 of its stat, after the command in parentheses). */
    private static long processGroup(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitOutput(DemoProcess demo, String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!demo.outputSince(0).contains(text)) {
            assertThat(System.nanoTime()).as("'%s' within %s; see %s", text, timeout, demo.output()).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** A subscription of the demo's CallKeeper account that sends to this test's receiver. */
    private static String subscribe(DemoStoreClient store, WebhookInspector receiver) throws Exception {
        JsonNode created = store.create("{\"accountId\":1001,\"product\":\"CALLKEEPER\",\"url\":\"" + receiver.url(HOOK_PATH) + "\"}");
        receiver.registerSecret(HOOK_PATH, created.get("secret").asText());
        return created.get("id").asText();
    }

    /** Asks the store for a test webhook and waits until it arrives, signed; how long that took. */
    private static Duration testWebhookArrives(String storeUrl, String subscription, WebhookInspector receiver) throws Exception {
        Set<String> before = receiver.webhooks(10_000, HOOK_PATH).stream().map(ReceivedWebhook::webhookId).collect(Collectors.toSet());
        long asked = System.nanoTime();
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(storeUrl + "/api/v1/subscriptions/" + subscription + "/test"))
                .header("Authorization", "Bearer " + DemoMain.ADMIN_TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        long deadline = asked + WEBHOOK_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<ReceivedWebhook> fresh = receiver.webhooks(10_000, HOOK_PATH).stream()
                    .filter(w -> w.webhookId() != null && !before.contains(w.webhookId())).toList();
            if (!fresh.isEmpty()) {
                assertThat(fresh).allSatisfy(w -> assertThat(w.signature().status()).as(w.signature().reason())
                        .isEqualTo(SignatureCheck.Status.VALID));
                assertThat(fresh).allSatisfy(DemoRestartSoakIT::looksLikeARealWebhook);
                return Duration.ofNanos(System.nanoTime() - asked);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no test webhook arrived within " + WEBHOOK_LIMIT);
    }

    /**
     * A test webhook carries the sample call's visit and, where the demo has the GeoLite2
     * database (`./callhook test` and `./callhook demo` fetch it), geo data down to the district.
     */
    private static void looksLikeARealWebhook(ReceivedWebhook webhook) {
        JsonNode body;
        try {
            body = new ObjectMapper().readTree(webhook.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(body.at("/visit_info/current/utm_source").asText(null)).as(webhook.body()).isNotNull();
        assertThat(body.at("/visit_info/udata/uag").asText(null)).as(webhook.body()).isNotNull();
        assertThat(body.path("phone2").asText(null)).as(webhook.body()).isNotNull();
        String geoDatabase = System.getenv("CALLHOOK_GEOIP_DB");
        if (geoDatabase != null && !geoDatabase.isBlank()) {
            assertThat(body.path("country").asText(null)).as(webhook.body()).isEqualTo("RU");
            assertThat(body.path("district").asText(null)).as(webhook.body()).isNotNull();
        }
    }

    /** Stops the demo as {@code how} says and waits until none of its processes is left. */
    private static Duration stop(DemoProcess demo, Stop how) throws Exception {
        List<ProcessHandle> all = demo.everything();
        long started = System.nanoTime();
        switch (how) {
            case CTRL_C_TO_GROUP -> demo.interruptGroup();
            case SIGTERM_TO_DEMO -> demo.terminate();
            case SIGKILL_ALL -> demo.killAll();
        }
        boolean exited = DemoProcess.awaitExited(all, STOP_LIMIT);
        List<ProcessHandle> left = all.stream().filter(ProcessHandle::isAlive).toList();
        left.forEach(ProcessHandle::destroyForcibly);
        assertThat(exited).as("processes left %s after %s; see %s", left.stream().map(ProcessHandle::pid).toList(), how, demo.output())
                .isTrue();
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** Where a test's demo runs: the project, a new data folder, its console output, its ports. */
    private record Run(Path root, Path data, Path output, Map<String, String> env) {

        static Run named(String name) throws Exception {
            Path root = PipelineTestSupport.projectRoot();
            Path output = root.resolve("demo/target/it-logs/" + name + ".log");
            Files.deleteIfExists(output);
            return new Run(root, ScratchDirs.create(name), output, ports());
        }

        /** {@code ./callhook demo --no-traffic} on this run's data folder, as a terminal's foreground job. */
        DemoProcess startDemo() throws IOException {
            return DemoProcess.start(root, env, output, "--no-traffic", "--data-dir", data.toString());
        }
    }

    private static Map<String, String> ports() throws Exception {
        Integer base = Integer.getInteger("callhook.soak.port-base");
        List<String> names = List.of("KAFKA", "KAFKA_CONTROLLER", "REGISTRY", "STORE", "INSPECTOR", "ENRICHER_OPS",
                "DISPATCHER_OPS", "STORE_OPS");
        Map<String, String> env = new HashMap<>();
        Set<Integer> taken = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            int port = base != null ? base + i : ChildProcess.freePort();
            while (!taken.add(port)) {
                port = ChildProcess.freePort();
            }
            env.put("CALLHOOK_DEMO_" + names.get(i) + "_PORT", Integer.toString(port));
        }
        return env;
    }

    private static String table(List<Cycle> cycles) {
        StringBuilder text = new StringBuilder(String.format("%5s  %-16s %9s %11s %9s%n", "cycle", "stopped by", "ready ms", "webhook ms",
                "stop ms"));
        for (Cycle c : cycles) {
            text.append(String.format("%5d  %-16s %9d %11d %9d%n", c.n(), c.stop(), c.ready().toMillis(), c.webhook().toMillis(),
                    c.stopped().toMillis()));
        }
        return text.toString();
    }
}
