package io.callhook.testsupport;

import io.callhook.launch.ProjectFiles;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A webhook receiver in its own Node.js process that checks signatures with the
 * {@code standardwebhooks} npm package (Svix's reference library), not with anything of ours:
 * {@code dispatcher-worker/src/test/node/webhook-receiver.cjs}. It answers 204 to a request whose
 * signature verifies and 401 otherwise, and lists what it received.
 *
 * <p>The package comes from {@code CALLHOOK_NODE_TEST_DEPS} (set by {@code ./callhook test}),
 * else from {@code scripts/fetch-node-test-deps.sh}, which this runs (cached after the first run).
 * Missing Node.js or npm is a failure, not a skip.
 */
public final class NodeWebhookReceiver implements AutoCloseable {

    /** One request as the receiver saw it. */
    public record Received(String method, String url, Map<String, String> headers, boolean verified, String error) {
    }

    private static final String SCRIPT = "dispatcher-worker/src/test/node/webhook-receiver.cjs";
    private static final String FETCH = "scripts/fetch-node-test-deps.sh";

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private NodeWebhookReceiver(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the receiver on a free loopback port, verifying with {@code secret}. */
    public static NodeWebhookReceiver start(String secret, Path logFile) throws IOException, InterruptedException {
        Path script = ProjectFiles.locate(SCRIPT, "callhook.node.receiver", "the Node.js webhook receiver", "run from the project");
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder("node", script.toString())
                .redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().put("NODE_PATH", nodeModules().toString());
        builder.environment().put("WEBHOOK_SECRET", secret);
        Process process = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        if (first == null) {
            process.waitFor(5, TimeUnit.SECONDS);
            throw new IOException("the Node.js receiver exited before listening; see " + logFile);
        }
        return new NodeWebhookReceiver(process, new JsonObject(first).getInteger("port"));
    }

    private static Path nodeModules() throws IOException, InterruptedException {
        String configured = System.getenv("CALLHOOK_NODE_TEST_DEPS");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path fetch = ProjectFiles.locate(FETCH, "callhook.node.fetch", "the npm test dependencies script", "run from the project");
        Process install = new ProcessBuilder("bash", fetch.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String path = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!install.waitFor(5, TimeUnit.MINUTES) || install.exitValue() != 0 || path.isEmpty()) {
            throw new IOException(FETCH + " failed (exit " + install.exitValue() + "): Node.js and npm with the npm registry are needed");
        }
        return Path.of(path);
    }

    public String url(String pathAndQuery) {
        return "http://127.0.0.1:" + port + pathAndQuery;
    }

    /** Everything received so far, oldest first. */
    public List<Received> received() throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url("/__received"))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return new JsonArray(answer.body()).stream().map(JsonObject.class::cast).map(json -> new Received(
                json.getString("method"), json.getString("url"),
                json.getJsonObject("headers").getMap().entrySet().stream()
                        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue()))),
                json.getBoolean("verified"), json.getString("error"))).toList();
    }

    /**
     * Sends a GET with the given request target and headers, as an attacker replaying or forging a
     * webhook would; returns the receiver's status.
     */
    public int get(String pathAndQuery, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(pathAndQuery))).GET().timeout(Duration.ofSeconds(5));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
