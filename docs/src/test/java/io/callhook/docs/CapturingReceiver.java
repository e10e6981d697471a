package io.callhook.docs;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A customer's endpoint on loopback: answers 204 and keeps every request exactly as it arrived
 * (method, path, raw query string, headers, body bytes).
 */
final class CapturingReceiver implements AutoCloseable {

    /** One request as received; header names lower-case. */
    record Captured(String method, String path, String rawQuery, Map<String, String> headers, byte[] body) {

        String header(String name) {
            return headers.get(name);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** Writes it as the snippet drivers read it: files method, query, body and headers ("name: value" lines). */
        Path writeTo(Path dir) throws IOException {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("method"), method);
            Files.writeString(dir.resolve("query"), rawQuery == null ? "" : rawQuery);
            Files.write(dir.resolve("body"), body);
            StringBuilder lines = new StringBuilder();
            headers.forEach((name, value) -> lines.append(name).append(": ").append(value).append('\n'));
            Files.writeString(dir.resolve("headers"), lines);
            return dir;
        }

        Captured withBody(byte[] changed) {
            return new Captured(method, path, rawQuery, headers, changed);
        }

        Captured withQuery(String changed) {
            return new Captured(method, path, changed, headers, body);
        }

        Captured withHeader(String name, String value) {
            Map<String, String> changed = new TreeMap<>(headers);
            changed.put(name, value);
            return new Captured(method, path, rawQuery, changed, body);
        }
    }

    private final HttpServer server;
    private final List<Captured> received = new CopyOnWriteArrayList<>();

    CapturingReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                Map<String, String> headers = new TreeMap<>();
                exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
                received.add(new Captured(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                        exchange.getRequestURI().getRawQuery(), headers, in.readAllBytes()));
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Captured> received(String path) {
        return received.stream().filter(request -> request.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
