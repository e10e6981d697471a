package io.callhook.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A service's Prometheus metrics, saved at the end of a run: for the record, and for a stalled run, the why. */
final class OpsMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(OpsMetrics.class);

    private OpsMetrics() {
    }

    /** Saves {@code http://127.0.0.1:<opsPort>/metrics} to {@code file}; a service that does not answer is logged, not fatal. */
    static void save(int opsPort, Path file) {
        try {
            Files.createDirectories(file.getParent());
            HttpResponse<Path> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPort + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofFile(file));
            LOG.info("Metrics (HTTP {}) saved to {}", response.statusCode(), file);
        } catch (IOException e) {
            LOG.warn("Could not read the metrics on port {}: {}", opsPort, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
