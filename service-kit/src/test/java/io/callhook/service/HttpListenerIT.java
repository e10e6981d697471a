package io.callhook.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.callhook.testkit.SharedVertx;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The listener's life on a real loopback socket. */
@ExtendWith(SharedVertx.class)
class HttpListenerIT {

    private final Vertx vertx;

    HttpListenerIT(Vertx vertx) {
        this.vertx = vertx;
    }

    @Test
    void listensTellsItsPortAndStops() throws Exception {
        HttpListener listener = new HttpListener(vertx, "test server");
        int port = listener.start(request -> request.response().end("hello"), "127.0.0.1", 0).await();

        assertThat(listener.port()).isEqualTo(port).isPositive();
        HttpResponse<String> answer = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.body()).isEqualTo("hello");
        assertThatThrownBy(() -> listener.start(request -> { }, "127.0.0.1", 0).await())
                .hasMessage("test server already started");

        listener.stop().await();
        listener.stop().await();
        assertThatThrownBy(listener::port).hasMessage("test server is not listening");
    }

    @Test
    void aFailedStartCanBeTriedAgainOnAnotherPort() throws Exception {
        // Taken outside Vert.x: servers of one Vert.x on the same port share the socket instead of failing.
        HttpListener second = new HttpListener(vertx, "second");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> second.start(request -> { }, "127.0.0.1", port).await())
                    .isNotInstanceOf(IllegalStateException.class);
            assertThatThrownBy(second::port).hasMessage("second is not listening");

            assertThat(second.start(request -> request.response().end(), "127.0.0.1", 0).await()).isNotEqualTo(port);
        } finally {
            second.stop().await();
        }
    }
}
