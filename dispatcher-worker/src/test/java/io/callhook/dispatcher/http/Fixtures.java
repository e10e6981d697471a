package io.callhook.dispatcher.http;

import io.callhook.model.HttpMethod;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Small helpers shared by this package's tests. */
final class Fixtures {

    private Fixtures() {
    }

    static PreparedRequest post(String url, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Callhook-Id", "wh_1");
        headers.put("Content-Type", "application/json");
        return new PreparedRequest(HttpMethod.POST, url, headers, body.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
    }

    static PreparedRequest get(String url, Duration timeout) {
        return new PreparedRequest(HttpMethod.GET, url, Map.of(), new byte[0], timeout);
    }

    /** An address from its bytes: no lookup, ever. */
    static InetAddress ip(int... bytes) {
        byte[] raw = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            raw[i] = (byte) bytes[i];
        }
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static InetAddress ipv6Loopback() {
        return ip(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
    }

    /** Waits for a future from a test thread and returns how it ended. */
    static <T> AsyncResult<T> outcome(Future<T> future) throws Exception {
        CompletableFuture<AsyncResult<T>> done = new CompletableFuture<>();
        future.onComplete(done::complete);
        return done.get(30, TimeUnit.SECONDS);
    }

    /** The result of a send, which never fails. */
    static SendResult result(Future<SendResult> future) throws Exception {
        AsyncResult<SendResult> outcome = outcome(future);
        if (outcome.failed()) {
            throw new AssertionError("send() must not fail its future", outcome.cause());
        }
        return outcome.result();
    }
}
