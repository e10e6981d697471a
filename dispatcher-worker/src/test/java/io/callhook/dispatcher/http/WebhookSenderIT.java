package io.callhook.dispatcher.http;

import io.callhook.dispatcher.http.Receiver.Received;
import io.callhook.dispatcher.http.SendResult.AddressRefused;
import io.callhook.dispatcher.http.SendResult.ConnectionFailed;
import io.callhook.dispatcher.http.SendResult.Delivered;
import io.callhook.dispatcher.http.SendResult.ConnectionFault;
import io.callhook.dispatcher.http.SendResult.Phase;
import io.callhook.dispatcher.http.SendResult.Rejected;
import io.callhook.dispatcher.http.SendResult.TimedOut;
import io.callhook.model.HttpMethod;
import io.callhook.net.AddressPolicy;
import io.callhook.net.Category;
import io.callhook.testkit.SharedVertx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.callhook.dispatcher.http.Fixtures.ip;
import static io.callhook.dispatcher.http.Fixtures.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sender against real HTTP receivers on loopback addresses. Every URL here is a loopback
 * literal or {@code localhost}, and every fake resolver answers with loopback addresses: nothing
 * leaves the machine, and no DNS server is asked. SSRF refusals are shown on loopback with the
 * allowlist off ({@link AddressPolicy#STRICT}), by the receiver counting zero connections.
 */
@ExtendWith(SharedVertx.class)
class WebhookSenderIT {

    private static final AddressPolicy LOOPBACK_ALLOWED = AddressPolicy.allowing("127.0.0.0/8,::1/128");
    private static final SenderConfig CONFIG = SenderConfig.defaults().withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(1));

    private final Vertx vertx;

    private final List<AutoCloseable> closeAfter = new ArrayList<>();

    WebhookSenderIT(Vertx vertx) {
        this.vertx = vertx;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeAfter.size() - 1; i >= 0; i--) {
            closeAfter.get(i).close();
        }
    }

    @Test
    void postIsDeliveredWithItsHeadersInOrderAndItsBody() throws Exception {
        Receiver receiver = receiver("127.0.0.1", Receiver.status(200, "thanks"));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Callhook-Id", "wh_123");
        headers.put("X-Callhook-Timestamp", "1700000000");
        headers.put("X-Callhook-Signature", "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=");
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", "Callhook-Test/1");
        byte[] body = "{\"event\":\"call.ended\",\"name\":\"Zoë\"}".getBytes(StandardCharsets.UTF_8);

        SendResult result = send(allowing(), new PreparedRequest(HttpMethod.POST,
                "http://127.0.0.1:" + receiver.port() + "/in?account=7", headers, body, Duration.ofSeconds(5)));

        assertThat(result).isInstanceOf(Delivered.class);
        assertThat(((Delivered) result).status()).isEqualTo(200);
        assertThat(((Delivered) result).responseExcerpt()).isEqualTo("thanks");
        assertThat(((Delivered) result).latency()).isPositive();
        Received received = receiver.requests().get(0);
        assertThat(received.method()).isEqualTo("POST");
        assertThat(received.uri()).isEqualTo("/in?account=7");
        assertThat(received.body().getBytes()).isEqualTo(body);
        assertThat(received.header("Host")).isEqualTo("127.0.0.1:" + receiver.port());
        assertThat(received.header("Content-Length")).isEqualTo(Integer.toString(body.length));
        assertThat(received.header("Transfer-Encoding")).isNull();
        assertThat(received.header("User-Agent")).isEqualTo("Callhook-Test/1");
        assertThat(received.headerNames()).containsSubsequence(headers.keySet().toArray(String[]::new));
        headers.forEach((name, value) -> assertThat(received.header(name)).isEqualTo(value));
    }

    @Test
    void putIsDeliveredAndAnEmptyResponseIsAnEmptyExcerpt() throws Exception {
        Receiver receiver = receiver("127.0.0.1", (request, body) -> request.response().setStatusCode(204).end());

        SendResult result = send(allowing(), new PreparedRequest(HttpMethod.PUT, "http://127.0.0.1:" + receiver.port() + "/hooks/1",
                Map.of("Content-Type", "application/x-www-form-urlencoded"), "a=1&b=2".getBytes(StandardCharsets.US_ASCII),
                Duration.ofSeconds(5)));

        assertThat(result).isInstanceOf(Delivered.class);
        assertThat(((Delivered) result).status()).isEqualTo(204);
        assertThat(((Delivered) result).responseExcerpt()).isEmpty();
        assertThat(receiver.requests().get(0).method()).isEqualTo("PUT");
        assertThat(receiver.requests().get(0).body().toString()).isEqualTo("a=1&b=2");
    }

    @Test
    void getCarriesNoBodyAndGetsTheDefaultUserAgent() throws Exception {
        Receiver receiver = receiver("127.0.0.1", Receiver.status(200, "ok"));

        SendResult result = send(allowing(), Fixtures.get("http://127.0.0.1:" + receiver.port() + "/hook?call=42&phase=ENDED",
                Duration.ofSeconds(5)));

        assertThat(result).isInstanceOf(Delivered.class);
        Received received = receiver.requests().get(0);
        assertThat(received.method()).isEqualTo("GET");
        assertThat(received.uri()).isEqualTo("/hook?call=42&phase=ENDED");
        assertThat(received.body().length()).isZero();
        assertThat(received.header("Transfer-Encoding")).isNull();
        assertThat(received.header("User-Agent")).isEqualTo(SenderConfig.DEFAULT_USER_AGENT);
    }

    @Test
    void aServerErrorIsRejectedWithTheExcerptCapped() throws Exception {
        String tenKilobytes = "0123456789".repeat(1024);
        Receiver receiver = receiver("127.0.0.1", Receiver.status(500, tenKilobytes));

        SendResult result = send(allowing(), Fixtures.post("http://127.0.0.1:" + receiver.port() + "/", "{}"));

        assertThat(result).isInstanceOf(Rejected.class);
        Rejected rejected = (Rejected) result;
        assertThat(rejected.status()).isEqualTo(500);
        assertThat(rejected.retryAfterHeader()).isEmpty();
        assertThat(rejected.responseExcerpt()).hasSize(4096).isEqualTo(tenKilobytes.substring(0, 4096));
        assertThat(rejected.errorType()).isEqualTo("HTTP_STATUS");
    }

    @Test
    void tooManyRequestsKeepsRetryAfter() throws Exception {
        Receiver receiver = receiver("127.0.0.1", (request, body) ->
                request.response().setStatusCode(429).putHeader("Retry-After", "120").end("slow down"));

        SendResult result = send(allowing(), Fixtures.post("http://127.0.0.1:" + receiver.port() + "/", "{}"));

        assertThat(result).isInstanceOf(Rejected.class);
        assertThat((Rejected) result).extracting(Rejected::status, Rejected::retryAfterHeader, Rejected::responseExcerpt)
                .containsExactly(429, Optional.of("120"), "slow down");
    }

    @Test
    void aRedirectIsNotFollowed() throws Exception {
        Receiver target = receiver("127.0.0.1", Receiver.status(200, "should never be reached"));
        Receiver redirecting = receiver("127.0.0.1", (request, body) -> request.response().setStatusCode(302)
                .putHeader("Location", "http://127.0.0.1:" + target.port() + "/internal").end());

        SendResult result = send(allowing(), Fixtures.post("http://127.0.0.1:" + redirecting.port() + "/", "{}"));

        assertThat(result).isInstanceOf(Rejected.class);
        assertThat(((Rejected) result).status()).isEqualTo(302);
        assertThat(target.requests()).isEmpty();
        assertThat(target.connections()).isZero();
    }

    @Test
    void aSilentReceiverTimesOutInTheResponsePhaseAtTheRequestTimeout() throws Exception {
        Receiver receiver = receiver("127.0.0.1", (request, body) -> { });

        long start = System.nanoTime();
        SendResult result = send(allowing(), Fixtures.get("http://127.0.0.1:" + receiver.port() + "/", Duration.ofSeconds(1)));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(result).isInstanceOf(TimedOut.class);
        assertThat(((TimedOut) result).phase()).isEqualTo(Phase.RESPONSE);
        assertThat(((TimedOut) result).latency()).isBetween(Duration.ofMillis(950), Duration.ofMillis(2500));
        assertThat(took).isBetween(Duration.ofMillis(950), Duration.ofMillis(2500));
        assertThat(receiver.requests()).hasSize(1);
    }

    @Test
    void aReceiverDrippingAnEndlessBodyIsCutAtTheDeadlineAndItsConnectionClosed() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        Receiver receiver = receiver("127.0.0.1", (request, body) -> {
            request.response().setChunked(true).setStatusCode(200).write("x");
            // Bytes keep flowing, so no idle timeout would ever fire.
            long timer = vertx.setPeriodic(50, id -> request.response().write("x"));
            request.connection().closeHandler(v -> {
                vertx.cancelTimer(timer);
                closed.countDown();
            });
        });

        long start = System.nanoTime();
        SendResult result = send(allowing(), Fixtures.get("http://127.0.0.1:" + receiver.port() + "/", Duration.ofSeconds(1)));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(result).isInstanceOf(TimedOut.class);
        assertThat(((TimedOut) result).phase()).isEqualTo(Phase.RESPONSE);
        assertThat(took).isBetween(Duration.ofMillis(950), Duration.ofMillis(2500));
        assertThat(closed.await(5, TimeUnit.SECONDS)).as("the sender closed the dripping connection").isTrue();
    }

    @Test
    void waitingTooLongForAPooledConnectionIsAConnectTimeoutAndSendsNothing() throws Exception {
        Receiver silent = receiver("127.0.0.1", (request, body) -> { });
        SenderConfig onePerHost = new SenderConfig(CONFIG.connectTimeout(), CONFIG.totalTimeout(), CONFIG.excerptBytes(), 1,
                CONFIG.keepAliveTimeout(), CONFIG.resolverTtl(), CONFIG.resolverFailureTtl(), CONFIG.userAgent(),
                CONFIG.resolverThreads(), CONFIG.resolverLookupsPerAccount(), CONFIG.resolverQueuePerAccount());
        WebhookSender sender = new WebhookSender(vertx, onePerHost, LOOPBACK_ALLOWED, new JvmHostResolver(vertx, onePerHost), System::nanoTime);
        closeAfter.add(sender);
        String url = "http://127.0.0.1:" + silent.port() + "/";

        Future<SendResult> holdsTheConnection = sender.send(Fixtures.get(url, Duration.ofSeconds(3)));
        await().until(() -> silent.requests().size() == 1);
        long start = System.nanoTime();
        SendResult queued = result(sender.send(Fixtures.get(url, Duration.ofSeconds(3))));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(queued).isInstanceOf(TimedOut.class);
        assertThat(((TimedOut) queued).phase()).isEqualTo(Phase.CONNECT);
        assertThat(took).isBetween(Duration.ofMillis(450), Duration.ofMillis(2000));
        assertThat(((TimedOut) result(holdsTheConnection)).phase()).isEqualTo(Phase.RESPONSE);
        assertThat(silent.requests()).hasSize(1);
    }

    @Test
    void aClosedPortIsARefusedConnection() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, ip(127, 0, 0, 1))) {
            closedPort = socket.getLocalPort();
        }

        SendResult result = send(allowing(), Fixtures.post("http://127.0.0.1:" + closedPort + "/", "{}"));

        assertThat(result).isInstanceOf(ConnectionFailed.class);
        assertThat(((ConnectionFailed) result).kind()).isEqualTo(ConnectionFault.REFUSED);
        assertThat(result.errorType()).isEqualTo("CONNECT");
    }

    @Test
    void aListenerThatNeverAcceptsTimesOutInTheConnectPhase() throws Exception {
        try (FullBacklog backlog = FullBacklog.open()) {
            long start = System.nanoTime();
            SendResult result = send(allowing(), Fixtures.post("http://127.0.0.1:" + backlog.port() + "/", "{}"));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(result).isInstanceOf(TimedOut.class);
            assertThat(((TimedOut) result).phase()).isEqualTo(Phase.CONNECT);
            // The configured connect timeout (500 ms), not the request's 5 s.
            assertThat(took).isBetween(Duration.ofMillis(450), Duration.ofMillis(2000));
        }
    }

    @Test
    void aConnectionResetAfterTheRequestIsAReset() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 10, ip(127, 0, 0, 1))) {
            Thread resetter = new Thread(() -> {
                try (Socket socket = server.accept()) {
                    readSome(socket.getInputStream());
                    socket.setSoLinger(true, 0); // close with RST
                } catch (IOException ignored) {
                    // the test fails on the result if this went wrong
                }
            });
            resetter.start();

            SendResult result = send(allowing(), Fixtures.post("http://127.0.0.1:" + server.getLocalPort() + "/", "{}"));

            assertThat(result).isInstanceOf(ConnectionFailed.class);
            assertThat(((ConnectionFailed) result).kind()).isEqualTo(ConnectionFault.RESET);
            resetter.join(5000);
        }
    }

    @Test
    void aReceiverNotSpeakingHttpIsAProtocolFailure() throws Exception {
        NetServer garbage = vertx.createNetServer()
                .connectHandler(socket -> socket.handler(data -> socket.write("SSH-2.0-OpenSSH_9.2\r\n\r\n")))
                .listen(0, "127.0.0.1").await();
        closeAfter.add(() -> garbage.close().await());

        SendResult result = send(allowing(), Fixtures.post("http://127.0.0.1:" + garbage.actualPort() + "/", "{}"));

        assertThat(result).isInstanceOf(ConnectionFailed.class);
        assertThat(((ConnectionFailed) result).kind()).isEqualTo(ConnectionFault.PROTOCOL);
    }

    @Test
    void withTheAllowlistOffLoopbackIsRefusedAndNothingConnects() throws Exception {
        Receiver ipv4 = receiver("127.0.0.1", Receiver.status(200, "no"));
        Receiver ipv6 = receiver("::1", Receiver.status(200, "no"));
        WebhookSender strict = sender(AddressPolicy.STRICT, new JvmHostResolver(vertx, CONFIG));

        for (String url : List.of("http://127.0.0.1:" + ipv4.port() + "/", "http://[::1]:" + ipv6.port() + "/",
                "http://localhost:" + ipv4.port() + "/", "http://127.0.0.2:" + ipv4.port() + "/",
                "http://[::ffff:127.0.0.1]:" + ipv4.port() + "/")) {
            SendResult result = send(strict, Fixtures.post(url, "{}"));
            assertThat(result).as(url).isInstanceOf(AddressRefused.class);
            assertThat(((AddressRefused) result).category()).as(url).isEqualTo(Category.LOOPBACK);
        }

        // Give any stray connection time to arrive before counting none.
        Thread.sleep(200);
        assertThat(ipv4.connections()).isZero();
        assertThat(ipv6.connections()).isZero();
    }

    @Test
    void withTheAllowlistOnTheSameLoopbackUrlsAreDelivered() throws Exception {
        // The positive control of the test above: the counters do see connections.
        Receiver ipv4 = receiver("127.0.0.1", Receiver.status(200, "v4"));
        Receiver ipv6 = receiver("::1", Receiver.status(200, "v6"));
        WebhookSender allowing = sender(LOOPBACK_ALLOWED, new JvmHostResolver(vertx, CONFIG));

        assertThat(send(allowing, Fixtures.post("http://127.0.0.1:" + ipv4.port() + "/", "{}"))).isInstanceOf(Delivered.class);
        assertThat(send(allowing, Fixtures.post("http://localhost:" + ipv4.port() + "/", "{}"))).isInstanceOf(Delivered.class);
        SendResult overIpv6 = send(allowing, Fixtures.post("http://[::1]:" + ipv6.port() + "/", "{}"));

        assertThat(overIpv6).isInstanceOf(Delivered.class);
        assertThat(((Delivered) overIpv6).responseExcerpt()).isEqualTo("v6");
        assertThat(ipv6.requests().get(0).header("Host")).isEqualTo("[::1]:" + ipv6.port());
        assertThat(ipv4.requests()).extracting(r -> r.header("Host"))
                .containsExactly("127.0.0.1:" + ipv4.port(), "localhost:" + ipv4.port());
        assertThat(ipv4.connections()).isPositive();
        assertThat(ipv6.connections()).isPositive();
    }

    @Test
    void aNameResolvingToLoopbackIsRefusedAfterResolutionAndNothingConnects() throws Exception {
        Receiver receiver = receiver("127.0.0.1", Receiver.status(200, "no"));
        // Canned answer: the name is never looked up, the address is what DNS rebinding would give.
        WebhookSender strict = sender(AddressPolicy.STRICT, (host, tenant, within) -> Future.succeededFuture(List.of(ip(127, 0, 0, 1))));

        SendResult result = send(strict, Fixtures.post("http://hooks.example.test:" + receiver.port() + "/", "{}"));

        assertThat(result).isInstanceOf(AddressRefused.class);
        assertThat(((AddressRefused) result).category()).isEqualTo(Category.LOOPBACK);
        assertThat(((AddressRefused) result).reason()).contains("hooks.example.test resolves to a refused address: 127.0.0.1");
        Thread.sleep(200);
        assertThat(receiver.connections()).isZero();
    }

    @Test
    void theConnectionGoesToTheCheckedAddressWhileTheHostHeaderKeepsTheName() throws Exception {
        // Listening on 127.0.0.2 only: resolving "localhost" again would give 127.0.0.1 and fail.
        Receiver receiver = receiver("127.0.0.2", Receiver.status(200, "via 127.0.0.2"));
        WebhookSender sender = sender(LOOPBACK_ALLOWED, (host, tenant, within) -> Future.succeededFuture(List.of(ip(127, 0, 0, 2))));

        SendResult result = send(sender, Fixtures.post("http://localhost:" + receiver.port() + "/named", "{}"));

        assertThat(result).isInstanceOf(Delivered.class);
        assertThat(((Delivered) result).responseExcerpt()).isEqualTo("via 127.0.0.2");
        Received received = receiver.requests().get(0);
        assertThat(received.localAddress()).isEqualTo("127.0.0.2");
        assertThat(received.header("Host")).isEqualTo("localhost:" + receiver.port());
    }

    @Test
    void manyConcurrentRequestsShareAFewPooledConnections() throws Exception {
        Receiver receiver = receiver("127.0.0.1", (request, body) -> vertx.setTimer(20, id -> request.response().end("ok")));
        SenderConfig smallPool = new SenderConfig(CONFIG.connectTimeout(), CONFIG.totalTimeout(), CONFIG.excerptBytes(), 4,
                CONFIG.keepAliveTimeout(), CONFIG.resolverTtl(), CONFIG.resolverFailureTtl(), CONFIG.userAgent(),
                CONFIG.resolverThreads(), CONFIG.resolverLookupsPerAccount(), CONFIG.resolverQueuePerAccount());
        WebhookSender sender = new WebhookSender(vertx, smallPool, LOOPBACK_ALLOWED, new JvmHostResolver(vertx, smallPool), System::nanoTime);
        closeAfter.add(sender);

        List<Future<SendResult>> sends = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            sends.add(sender.send(Fixtures.post("http://127.0.0.1:" + receiver.port() + "/" + i, "{}")));
        }

        for (Future<SendResult> send : sends) {
            assertThat(result(send)).isInstanceOf(Delivered.class);
        }
        assertThat(receiver.requests()).hasSize(40);
        assertThat(receiver.connections()).isBetween(1, 4);
    }

    private Receiver receiver(String host, Receiver.Answer answer) {
        Receiver receiver = Receiver.start(vertx, host, answer);
        closeAfter.add(receiver);
        return receiver;
    }

    private WebhookSender allowing() {
        return sender(LOOPBACK_ALLOWED, new JvmHostResolver(vertx, CONFIG));
    }

    private WebhookSender sender(AddressPolicy policy, HostResolver resolver) {
        WebhookSender sender = new WebhookSender(vertx, CONFIG, policy, resolver, System::nanoTime);
        closeAfter.add(sender);
        return sender;
    }

    private static SendResult send(WebhookSender sender, PreparedRequest request) throws Exception {
        return result(sender.send(request));
    }

    /** Reads what has arrived of the request, so the reset comes after it. */
    private static void readSome(InputStream in) throws IOException {
        in.read(new byte[4096]);
    }

    /**
     * A loopback listener that never accepts, its accept queue filled by idle connections, so the
     * kernel drops further connection attempts: a connect that hangs, without leaving loopback.
     */
    private static final class FullBacklog implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> fillers = new ArrayList<>();

        private FullBacklog(ServerSocket server) {
            this.server = server;
        }

        static FullBacklog open() throws IOException {
            InetAddress loopback = ip(127, 0, 0, 1);
            FullBacklog backlog = new FullBacklog(new ServerSocket(0, 1, loopback));
            for (int i = 0; i < 64; i++) {
                Socket socket = new Socket();
                try {
                    socket.connect(new InetSocketAddress(loopback, backlog.port()), 300);
                    backlog.fillers.add(socket);
                } catch (SocketTimeoutException full) {
                    socket.close();
                    return backlog;
                }
            }
            backlog.close();
            throw new IllegalStateException("the accept queue never filled: this platform accepts connections without a limit");
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            for (Socket socket : fillers) {
                socket.close();
            }
            server.close();
        }
    }
}
