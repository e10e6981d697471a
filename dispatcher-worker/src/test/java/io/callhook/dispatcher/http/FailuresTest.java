package io.callhook.dispatcher.http;

import io.callhook.dispatcher.http.SendResult.ConnectionFailed;
import io.callhook.dispatcher.http.SendResult.ConnectionFault;
import io.callhook.dispatcher.http.SendResult.Phase;
import io.callhook.dispatcher.http.SendResult.TimedOut;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The exception-type table, with the exceptions Vert.x and Netty actually throw (seen on loopback). */
class FailuresTest {

    private static final Duration LATENCY = Duration.ofMillis(123);

    @Test
    void nettyConnectTimeoutIsAConnectTimeoutThoughItIsAConnectException() {
        assertThat(Failures.classify(new ConnectTimeoutException("connection timed out after 500 ms"), false, LATENCY))
                .isEqualTo(new TimedOut(Phase.CONNECT, LATENCY));
    }

    @Test
    void vertxTimeoutIsConnectBeforeAConnectionAndResponseAfter() {
        var timeout = new NoStackTraceTimeoutException("The timeout period of 500ms has been exceeded");
        assertThat(Failures.classify(timeout, false, LATENCY)).isEqualTo(new TimedOut(Phase.CONNECT, LATENCY));
        assertThat(Failures.classify(timeout, true, LATENCY)).isEqualTo(new TimedOut(Phase.RESPONSE, LATENCY));
    }

    @Test
    void refusedConnectionWrappedAsNettyDoes() {
        SendResult result = Failures.classify(new VertxException(new ConnectException("Connection refused")), false, LATENCY);

        assertThat(result).isInstanceOf(ConnectionFailed.class);
        assertThat(((ConnectionFailed) result).kind()).isEqualTo(ConnectionFault.REFUSED);
        assertThat(result.errorType()).isEqualTo("CONNECT");
        assertThat(((ConnectionFailed) result).latency()).isEqualTo(LATENCY);
    }

    @Test
    void tlsWinsOverTheDecoderExceptionNettyWrapsItIn() {
        assertThat(kind(new DecoderException(new SSLHandshakeException("PKIX path building failed")), true))
                .isEqualTo(ConnectionFault.TLS);
        assertThat(kind(new SSLHandshakeException("No subject alternative names present"), false)).isEqualTo(ConnectionFault.TLS);
    }

    @Test
    void brokenConnectionsAreResets() {
        assertThat(kind(new SocketException("Connection reset"), true)).isEqualTo(ConnectionFault.RESET);
        assertThat(kind(new HttpClosedException("Connection was closed"), true)).isEqualTo(ConnectionFault.RESET);
        assertThat(kind(new StreamResetException(8), true)).isEqualTo(ConnectionFault.RESET);
    }

    @Test
    void unreadableResponsesAreProtocolErrors() {
        assertThat(kind(new TooLongHttpHeaderException("HTTP header is larger than 8192 bytes."), true))
                .isEqualTo(ConnectionFault.PROTOCOL);
        // Netty's status-line parser; before a connection the same type is our own bug, not the peer's.
        assertThat(kind(new IllegalArgumentException("invalid version format: GARBAGE"), true)).isEqualTo(ConnectionFault.PROTOCOL);
        assertThat(kind(new IllegalArgumentException("invalid version format: GARBAGE"), false)).isEqualTo(ConnectionFault.OTHER);
    }

    @Test
    void dnsAndRouting() {
        assertThat(kind(new UnknownHostException("hooks.example.test"), false)).isEqualTo(ConnectionFault.DNS_FAILURE);
        assertThat(kind(new NoRouteToHostException("No route to host"), false)).isEqualTo(ConnectionFault.UNREACHABLE);
    }

    @Test
    void anythingElseIsOtherWithTheExceptionNamedForPeople() {
        SendResult result = Failures.classify(new IllegalStateException("boom"), true, LATENCY);

        assertThat(result).isEqualTo(new ConnectionFailed(ConnectionFault.OTHER, "IllegalStateException: boom", LATENCY));
        assertThat(result.errorType()).isEqualTo("OTHER");
    }

    @Test
    void theMessageNeverDecides() {
        // A message that reads like a timeout or a refusal changes nothing: only types count.
        assertThat(kind(new IllegalStateException("Connection refused: connection timed out, SSL handshake failed"), false))
                .isEqualTo(ConnectionFault.OTHER);
    }

    @Test
    void aCauseChainThatLoopsIsWalkedOnce() {
        Exception outer = new Exception("outer");
        Exception inner = new Exception("inner", outer);
        outer.initCause(inner);

        assertThat(kind(outer, true)).isEqualTo(ConnectionFault.OTHER);
    }

    private static ConnectionFault kind(Throwable failure, boolean connected) {
        return ((ConnectionFailed) Failures.classify(failure, connected, LATENCY)).kind();
    }
}
