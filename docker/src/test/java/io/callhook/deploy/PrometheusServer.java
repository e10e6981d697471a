package io.callhook.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callhook.launch.ChildProcess;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Prometheus (Debian's {@code /usr/bin/prometheus}) as a child process on a loopback port
 * of its own, with its data in a folder of the test's, and a client of its HTTP query API.
 */
final class PrometheusServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PrometheusServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() { };

    private final Process process;
    private final String baseUrl;
    private final Path logFile;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Thread reaper;

    private PrometheusServer(Process process, String baseUrl, Path logFile) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.logFile = logFile;
        // A test JVM that exits without closing us must not leave Prometheus running.
        this.reaper = new Thread(process::destroyForcibly, "prometheus-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** Starts Prometheus with {@code config} on {@code 127.0.0.1:port} and waits until it is ready. */
    static PrometheusServer start(Path config, int port, Path dataDir, Path logFile) throws IOException, InterruptedException {
        Path binary = Tools.require(Tools.PROMETHEUS, "prometheus");
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        Process process = new ProcessBuilder(binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dataDir,
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=info")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        PrometheusServer server = new PrometheusServer(process, "http://127.0.0.1:" + port, logFile);
        LOG.info("Started Prometheus (pid {}) on {}, log {}", process.pid(), server.baseUrl, logFile);
        try {
            server.awaitReady(Duration.ofSeconds(30));
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    static int freePort() throws IOException {
        return ChildProcess.freePort();
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Prometheus exited with " + process.exitValue() + " before it was ready:\n"
                        + Files.readString(logFile));
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/-/ready")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Still starting.
            }
            Thread.sleep(100);
        }
        throw new IOException("Prometheus was not ready within " + timeout + "; see " + logFile);
    }

    /** One sample of an instant query's result. */
    record Sample(Map<String, String> labels, double value) {
    }

    /** An instant query's result: its samples, empty when the query found no data. */
    record Result(String query, List<Sample> samples) {
        boolean hasNumbers() {
            return samples.stream().anyMatch(s -> !Double.isNaN(s.value()));
        }
    }

    /** Evaluates {@code query} now through {@code /api/v1/query}; a query Prometheus refuses fails with its error. */
    Result query(String query) throws IOException, InterruptedException {
        URI uri = URI.create(baseUrl + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new IllegalArgumentException("Prometheus refused " + query + ": " + body.path("errorType").asText()
                    + " " + body.path("error").asText());
        }
        JsonNode data = body.path("data");
        List<Sample> samples = new ArrayList<>();
        switch (data.path("resultType").asText()) {
            case "vector" -> data.path("result").forEach(series -> samples.add(new Sample(
                    JSON.convertValue(series.path("metric"), LABELS), value(series.path("value")))));
            case "scalar" -> samples.add(new Sample(Map.of(), value(data.path("result"))));
            default -> throw new IllegalArgumentException(query + " gives a " + data.path("resultType").asText()
                    + ", which a dashboard panel cannot draw as an instant value");
        }
        return new Result(query, samples);
    }

    /** The scrape targets' health, as {@code /api/v1/targets} reports it: scrape URL to health. */
    Map<String, String> targets() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/targets"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        Map<String, String> health = new TreeMap<>();
        JSON.readTree(response.body()).path("data").path("activeTargets").forEach(target ->
                health.put(target.path("scrapeUrl").asText(), target.path("health").asText()
                        + (target.path("lastError").asText().isEmpty() ? "" : " (" + target.path("lastError").asText() + ")")));
        return health;
    }

    /** The alerts firing now, by name. */
    Set<String> firingAlerts() throws IOException, InterruptedException {
        return alertNames(query("ALERTS{alertstate=\"firing\"}"));
    }

    /** The alerts that fired at any evaluation in the last {@code window}, by name. */
    Set<String> alertsFiredWithin(Duration window) throws IOException, InterruptedException {
        return alertNames(query("max_over_time(ALERTS{alertstate=\"firing\"}[" + Math.max(1, window.toSeconds()) + "s])"));
    }

    private static Set<String> alertNames(Result result) {
        Set<String> names = new TreeSet<>();
        result.samples().forEach(sample -> names.add(sample.labels().get("alertname")));
        return names;
    }

    /** Each rule's health at its last evaluation, as {@code /api/v1/rules} reports it: name to "ok", or the error. */
    Map<String, String> ruleHealth() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/rules"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        Map<String, String> health = new TreeMap<>();
        for (JsonNode group : JSON.readTree(response.body()).path("data").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String error = rule.path("lastError").asText();
                health.put(rule.path("name").asText(), rule.path("health").asText() + (error.isEmpty() ? "" : " (" + error + ")"));
            }
        }
        return health;
    }

    private static double value(JsonNode pair) {
        // [ <unix time>, "<value>" ]; the value may be "NaN", "+Inf" or "-Inf".
        String text = pair.get(1).asText();
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    Path logFile() {
        return logFile;
    }

    /** Stops Prometheus (SIGTERM, then SIGKILL after 15 s). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is exiting; the hook will find the process gone.
        }
        LOG.info("Stopped Prometheus");
    }
}
