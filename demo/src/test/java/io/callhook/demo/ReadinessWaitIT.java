package io.callhook.demo;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.callhook.launch.ChildProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service that does not become ready: the demo's wait for it fails quoting what the service
 * last answered on its readiness URL (e.g. the transaction that holds it), not only that it did
 * not answer 200. The service is a real child process serving HTTP on loopback.
 */
class ReadinessWaitIT {

    private static final String ANSWER = "{\"status\":\"DOWN\",\"checks\":{\"kafka-streams\":\"REBALANCING; committed offsets "
            + "of group 'g' held by transaction 't'\"}}";

    @TempDir
    Path dir;

    @Test
    void aWaitThatRunsOutQuotesTheLastReadinessAnswer() throws Exception {
        int port = ChildProcess.freePort();
        try (ChildProcess child = ChildProcess.startMain("never-ready", List.of("-cp", System.getProperty("java.class.path")),
                NeverReady.class.getName(), List.of(Integer.toString(port)), Map.of(), dir.resolve("never-ready.log"))) {
            assertThatThrownBy(() -> child.awaitHttpOk("http://127.0.0.1:" + port + "/health/ready", Duration.ofSeconds(5)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("did not answer 200 within PT5S; its last answer: 503 " + ANSWER + "; see ");
        }
    }

    /** Answers every request 503 with {@link #ANSWER}, as a service that stays out of RUNNING. */
    public static final class NeverReady {
        public static void main(String[] args) throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0])), 0);
            server.createContext("/", exchange -> {
                byte[] body = ANSWER.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(503, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
        }
    }
}
