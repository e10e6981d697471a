package io.callhook.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * The demo registry's schemas, exported to the data folder each time the demo runs. The
 * registry keeps them in an H2 file, and H2's file store does not always survive a process
 * being killed: a later start can find it corrupted (H2 error 90030) and the registry then never
 * starts. Records already in Kafka name their schemas by id, so starting with an empty registry
 * would leave them unreadable; the registry's own export keeps the ids, and importing it into a
 * new database gives every schema back under the same id.
 */
final class RegistrySnapshot {

    private static final String EXPORT = "/apis/registry/v2/admin/export";
    private static final String IMPORT = "/apis/registry/v2/admin/import";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Path file;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    RegistrySnapshot(Path file) {
        this.file = file;
    }

    boolean exists() {
        return Files.isRegularFile(file);
    }

    /** Exports every artifact with its ids, replacing the previous export only once this one is whole. */
    void save(String registryBaseUrl) throws IOException, InterruptedException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        HttpResponse<Path> response = http.send(HttpRequest.newBuilder(URI.create(registryBaseUrl + EXPORT)).timeout(TIMEOUT)
                .header("Accept", "application/zip").GET().build(), HttpResponse.BodyHandlers.ofFile(partial));
        if (response.statusCode() != 200) {
            Files.deleteIfExists(partial);
            throw new IOException("exporting the registry's schemas answered " + response.statusCode());
        }
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Imports the last export into a registry whose database is new, keeping each schema's ids. */
    void restoreInto(String registryBaseUrl) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(registryBaseUrl + IMPORT)).timeout(TIMEOUT)
                .header("Content-Type", "application/zip")
                .header("X-Registry-Preserve-GlobalId", "true")
                .header("X-Registry-Preserve-ContentId", "true")
                .POST(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IOException("importing " + file + " into the registry answered " + response.statusCode() + ": " + response.body());
        }
    }
}
