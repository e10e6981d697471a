package io.callhook.dispatcher.http;

import io.callhook.dispatcher.http.SendResult.ConnectionFailed;
import io.callhook.dispatcher.http.SendResult.ConnectionFault;
import io.callhook.dispatcher.http.SendResult.Phase;
import io.callhook.dispatcher.http.SendResult.TimedOut;
import io.netty.handler.codec.CodecException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Turns the exception of a failed exchange into a {@link SendResult}, by the exception's type
 * (anywhere in its cause chain), never by its message: messages change between versions and
 * platforms, types do not. Pure, so the table is unit-tested without a network.
 */
final class Failures {

    /** Deep enough for any real wrapping; a bound, because a cause chain may loop. */
    private static final int MAX_CHAIN = 16;

    private Failures() {
    }

    /**
     * @param failure   what the HTTP client failed with
     * @param connected whether the request had a connection when it failed (Vert.x had handed out
     *                  the request); it tells the two Vert.x timeouts apart, which share one type
     * @param latency   from the start of the attempt
     */
    static SendResult classify(Throwable failure, boolean connected, Duration latency) {
        List<Throwable> chain = chain(failure);
        // Netty's connect timeout is a ConnectException too, so it goes before REFUSED.
        if (any(chain, io.netty.channel.ConnectTimeoutException.class)) {
            return new TimedOut(Phase.CONNECT, latency);
        }
        // Vert.x's wait for a connection and a request's idle timeout both fail with a
        // TimeoutException; which one it was follows from whether the request had a connection.
        if (any(chain, TimeoutException.class)) {
            return new TimedOut(connected ? Phase.RESPONSE : Phase.CONNECT, latency);
        }
        // Before codec errors: Netty wraps TLS failures in a DecoderException.
        if (any(chain, SSLException.class)) {
            return failed(ConnectionFault.TLS, failure, latency);
        }
        if (any(chain, UnknownHostException.class)) {
            return failed(ConnectionFault.DNS_FAILURE, failure, latency);
        }
        if (any(chain, NoRouteToHostException.class)) {
            return failed(ConnectionFault.UNREACHABLE, failure, latency);
        }
        if (any(chain, ConnectException.class)) {
            return failed(ConnectionFault.REFUSED, failure, latency);
        }
        if (any(chain, HttpClosedException.class) || any(chain, StreamResetException.class)
                || any(chain, ClosedChannelException.class) || any(chain, PrematureChannelClosureException.class)
                || any(chain, SocketException.class)) {
            // A plain SocketException once connected is the peer breaking the connection
            // ("Connection reset", "Broken pipe"); its connect-time subtypes are handled above.
            return failed(ConnectionFault.RESET, failure, latency);
        }
        if (any(chain, CodecException.class)) {
            return failed(ConnectionFault.PROTOCOL, failure, latency);
        }
        if (connected && any(chain, IllegalArgumentException.class)) {
            // Netty's decoder reports a status line it cannot read (HttpVersion.valueOf) this way.
            return failed(ConnectionFault.PROTOCOL, failure, latency);
        }
        return failed(ConnectionFault.OTHER, failure, latency);
    }

    /** "SimpleName: message" of the outermost exception, for the attempt log. */
    static String detail(Throwable failure) {
        String message = failure.getMessage();
        String name = failure.getClass().getSimpleName().isEmpty() ? failure.getClass().getName() : failure.getClass().getSimpleName();
        return message == null || message.isBlank() ? name : name + ": " + message;
    }

    private static ConnectionFailed failed(ConnectionFault kind, Throwable failure, Duration latency) {
        return new ConnectionFailed(kind, detail(failure), latency);
    }

    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && chain.size() < MAX_CHAIN && seen.add(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    private static boolean any(List<Throwable> chain, Class<? extends Throwable> type) {
        return chain.stream().anyMatch(type::isInstance);
    }
}
