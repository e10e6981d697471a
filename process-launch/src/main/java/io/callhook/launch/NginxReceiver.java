package io.callhook.launch;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A webhook receiver outside the JVM under test (benchmarks, and tests whose receiver must not
 * share the sender's CPU or be the bottleneck): Debian's nginx, run in the foreground as a child process
 * from a configuration generated in a folder of its own, answering {@code 204} to every request
 * on loopback. It is outside every measured JVM, so it is never the thing being measured.
 *
 * <p>Its clock is {@code stub_status}: {@link #requests()} is the number of requests nginx has
 * counted, less this object's own status reads. With an arrival log, nginx also writes one line
 * per webhook, {@code $msec $http_webhook_id}, when it has answered it (not for {@code /limit/},
 * where the HTTP limit's load goes).
 */
public final class NginxReceiver implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NginxReceiver.class);
    private static final String STATUS_PATH = "/nginx_status";

    private final Process process;
    private final Path dir;
    private final int port;
    private final Path arrivalLog;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final HttpRequest statusRequest;
    private final Thread reaper;
    private long statusReads;

    private NginxReceiver(Process process, Path dir, int port, Path arrivalLog) {
        this.process = process;
        // Ctrl-C on the benchmark must not leave nginx behind.
        this.reaper = new Thread(this::stop, "nginx-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        this.dir = dir;
        this.port = port;
        this.arrivalLog = arrivalLog;
        this.statusRequest = HttpRequest.newBuilder(URI.create(url(STATUS_PATH))).timeout(Duration.ofSeconds(5)).GET().build();
    }

    /** Starts nginx on a free loopback port, without an arrival log. */
    public static NginxReceiver start(Path dir, int workers) throws IOException, InterruptedException {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        return start(dir, port, workers, false);
    }

    /**
     * Starts nginx on {@code 127.0.0.1:port} with its files in {@code dir} and waits until it answers.
     *
     * @param logArrivals whether to write the arrival log ({@link #arrivalLog()})
     */
    public static NginxReceiver start(Path dir, int port, int workers, boolean logArrivals) throws IOException, InterruptedException {
        Path binary = binary();
        Files.createDirectories(dir);
        Path arrivals = dir.resolve("arrivals.log");
        Path config = dir.resolve("nginx.conf");
        Files.writeString(config, config(dir, port, workers, logArrivals ? arrivals : null));
        Process process = new ProcessBuilder(binary.toString(), "-p", dir.toString(), "-c", config.toString(),
                "-e", dir.resolve("error.log").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("nginx.out").toFile()))
                .start();
        NginxReceiver nginx = new NginxReceiver(process, dir, port, logArrivals ? arrivals : null);
        try {
            nginx.awaitReady(Duration.ofSeconds(10));
        } catch (IOException | RuntimeException e) {
            nginx.close();
            throw e;
        }
        LOG.info("nginx {} (pid {}) answering 204 at {}, files in {}", version(binary), process.pid(), nginx.url("/"), dir);
        return nginx;
    }

    private static String config(Path dir, int port, int workers, Path arrivals) {
        String arrivalLogging = arrivals == null ? "access_log off;"
                : "access_log " + arrivals + " arrivals buffer=64k flush=250ms;";
        return """
                # Written by Callhook's benchmarks at each start; nginx runs in the foreground as their child.
                daemon off;
                worker_processes %d;
                worker_rlimit_nofile 65536;
                pid %s;
                events {
                    worker_connections 16384;
                }
                http {
                    access_log off;
                    log_format arrivals '$msec $http_webhook_id';
                    client_body_temp_path %s;
                    proxy_temp_path %s;
                    fastcgi_temp_path %s;
                    uwsgi_temp_path %s;
                    scgi_temp_path %s;
                    keepalive_timeout 300s;
                    keepalive_requests 100000000;
                    client_body_buffer_size 64k;
                    client_max_body_size 1m;
                    server {
                        listen 127.0.0.1:%d backlog=4096;
                        location = %s {
                            stub_status;
                        }
                        location /limit/ {
                            return 204;
                        }
                        location / {
                            %s
                            return 204;
                        }
                    }
                }
                """.formatted(workers, dir.resolve("nginx.pid"), dir.resolve("client_body"), dir.resolve("proxy"),
                dir.resolve("fastcgi"), dir.resolve("uwsgi"), dir.resolve("scgi"), port, STATUS_PATH, arrivalLogging);
    }

    private static Path binary() {
        for (String candidate : List.of("/usr/sbin/nginx", "/usr/bin/nginx")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        throw new IllegalStateException("nginx is not installed: run 'scripts/install-test-deps.sh nginx wrk' "
                + "(./callhook bench and ./callhook test do it)");
    }

    private static String version(Path binary) {
        try {
            Process v = new ProcessBuilder(binary.toString(), "-v").redirectErrorStream(true).start();
            String out = new String(v.getInputStream().readAllBytes()).trim();
            v.waitFor(5, TimeUnit.SECONDS);
            return out.replace("nginx version: ", "");
        } catch (IOException e) {
            return "(version unknown)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(version unknown)";
        }
    }

    /** The version line of the nginx binary used. */
    public static String version() {
        return version(binary());
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("nginx exited with code " + process.exitValue() + "; see " + dir.resolve("error.log")
                        + " and " + dir.resolve("nginx.out"));
            }
            try {
                requests();
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("nginx did not answer on port " + port + " within " + timeout + "; see "
                            + dir.resolve("error.log"), notYet);
                }
                Thread.sleep(50);
            }
        }
    }

    /** {@code http://127.0.0.1:<port><path>}. */
    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /**
     * Requests nginx has counted since it started, not counting this object's status reads (each
     * read counts itself). Not thread-safe: read from one thread.
     */
    public long requests() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(statusRequest, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("nginx status answered " + response.statusCode());
        }
        statusReads++;
        // "Active connections: N\nserver accepts handled requests\n A H R\nReading: ..."
        String[] counters = response.body().split("\n")[2].trim().split("\\s+");
        return Long.parseLong(counters[2]) - statusReads;
    }

    /** The master process's id (its workers are its children). */
    public long pid() {
        return process.pid();
    }

    /** The arrival log ({@code $msec $http_webhook_id} per request), or null without one. */
    public Path arrivalLog() {
        return arrivalLog;
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or has run.
        }
        LOG.info("nginx stopped");
    }

    private void stop() {
        // SIGTERM is nginx's fast shutdown: the master stops its workers and exits.
        List<ProcessHandle> workers = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        // A master killed the hard way leaves its workers running.
        workers.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
