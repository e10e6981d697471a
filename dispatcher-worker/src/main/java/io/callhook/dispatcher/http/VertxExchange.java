package io.callhook.dispatcher.http;

import io.callhook.dispatcher.http.SendResult.Delivered;
import io.callhook.dispatcher.http.SendResult.Phase;
import io.callhook.dispatcher.http.SendResult.Rejected;
import io.callhook.dispatcher.http.SendResult.TimedOut;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * The HTTP exchange over one shared, pooled Vert.x HTTP client: keep-alive HTTP/1.1, no redirects,
 * no pipelining, a connect timeout, and a deadline on every request.
 *
 * <p>The connection goes to the checked address through {@link RequestOptions#setServer}, while
 * {@link RequestOptions#setHost} keeps the URL's host for the Host header, TLS SNI and certificate
 * verification. Vert.x connects to a resolved {@link InetSocketAddress} as it is, resolving
 * nothing, and keys its pools by server address and host, so a pool never mixes receivers.
 *
 * <p>Why the core {@code HttpClient} and not the {@code WebClient} on top of it (which the style
 * guide's examples use): a delivery attempt must be able to give up at its deadline and free the
 * connection, and must know whether the request had a connection when time ran out (before it,
 * the webhook was certainly not sent). The web client exposes neither: when its body codec fails
 * it does not reset the HTTP/1.1 stream, so a receiver dripping an endless body keeps the pooled
 * connection for as long as it likes (seen against a loopback receiver), and Vert.x's two
 * timeouts (waiting for a connection, the request's idle timeout) fail with one exception type.
 * Here the request future marks the connection, and {@link HttpClientRequest#reset()} ends the
 * exchange and closes the connection at the deadline.
 *
 * <p>Time is bounded three ways: the client's TCP connect timeout, the request's connect timeout
 * (waiting for a pooled or new connection, TLS included), and the attempt's deadline at the
 * request's timeout, which holds however the receiver behaves.
 */
final class VertxExchange implements Exchange {

    private static final Logger LOG = LoggerFactory.getLogger(VertxExchange.class);

    private final Vertx vertx;
    private final HttpClientAgent client;
    private final SenderConfig config;
    private final LongSupplier nanoTime;

    /**
     * @param customizer adjusts the client options last; tests trust their own certificate with it
     */
    VertxExchange(Vertx vertx, SenderConfig config, LongSupplier nanoTime, UnaryOperator<HttpClientOptions> customizer) {
        this.vertx = vertx;
        this.config = config;
        this.nanoTime = nanoTime;
        this.client = vertx.httpClientBuilder()
                .with(customizer.apply(clientOptions(config)))
                .with(new PoolOptions().setHttp1MaxSize(config.maxPoolSize()))
                // Receivers misbehave all the time: the failure reaches the attempt's result, and
                // Vert.x would otherwise log every reset or garbled connection at ERROR.
                .withConnectHandler(connection -> connection.exceptionHandler(
                        failure -> LOG.debug("connection to {} failed: {}", connection.remoteAddress(), Failures.detail(failure))))
                .build();
    }

    static HttpClientOptions clientOptions(SenderConfig config) {
        return new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setConnectTimeout(Math.toIntExact(config.connectTimeout().toMillis()))
                .setKeepAlive(true)
                .setKeepAliveTimeout(Math.toIntExact(config.keepAliveTimeout().getSeconds()))
                // One request at a time per connection: a slow response must not hold up others.
                .setPipelining(false)
                .setVerifyHost(true)
                // We send no Accept-Encoding; a compressed excerpt would be unreadable anyway.
                .setDecompressionSupported(false);
    }

    @Override
    public Future<SendResult> exchange(Destination destination, PreparedRequest request, long startNanos) {
        Promise<SendResult> result = Promise.promise();
        // One context per attempt: its callbacks and deadline never race each other. Called on an
        // event loop (the engine's lanes are), the attempt starts there at once rather than a task later.
        Context current = Vertx.currentContext();
        if (current != null && current.owner() == vertx && Context.isOnEventLoopThread()) {
            new Attempt(destination, request, startNanos, result).start();
        } else {
            vertx.getOrCreateContext().runOnContext(ignored -> new Attempt(destination, request, startNanos, result).start());
        }
        return result.future();
    }

    @Override
    public void close() {
        client.close();
    }

    /** One exchange, confined to one Vert.x context. */
    private final class Attempt {
        private final Destination destination;
        private final PreparedRequest request;
        private final long startNanos;
        private final Promise<SendResult> result;
        private final ResponseExcerpt excerpt = new ResponseExcerpt(config.excerptBytes());
        private HttpClientRequest http;
        private long deadlineTimer = -1;

        Attempt(Destination destination, PreparedRequest request, long startNanos, Promise<SendResult> result) {
            this.destination = destination;
            this.request = request;
            this.startNanos = startNanos;
            this.result = result;
        }

        void start() {
            long remainingMillis = request.timeout().toMillis() - elapsed().toMillis();
            if (remainingMillis <= 0) {
                finish(new TimedOut(Phase.CONNECT, elapsed())); // resolving the host used up the time
                return;
            }
            deadlineTimer = vertx.setTimer(remainingMillis, id -> onDeadline());
            // Completes once the request has a connection (pooled or new, TLS done).
            client.request(options(remainingMillis)).onComplete(this::onConnection);
        }

        private RequestOptions options(long remainingMillis) {
            return new RequestOptions()
                    .setMethod(method(request))
                    .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(destination.address(), destination.port())))
                    .setHost(destination.authority())
                    .setPort(destination.port())
                    .setSsl(destination.ssl())
                    .setURI(destination.requestUri())
                    // A redirect's target was never checked by the SSRF guard.
                    .setFollowRedirects(false)
                    .setConnectTimeout(Math.min(config.connectTimeout().toMillis(), remainingMillis));
        }

        private void onConnection(AsyncResult<HttpClientRequest> connection) {
            if (connection.failed()) {
                finish(Failures.classify(connection.cause(), false, elapsed()));
                return;
            }
            http = connection.result();
            if (isDone()) {
                http.reset(); // the deadline passed while waiting for the connection
                return;
            }
            request.headers().forEach(http::putHeader);
            if (!request.hasHeader("User-Agent")) {
                http.putHeader(HttpHeaders.USER_AGENT, config.userAgent());
            }
            Future<HttpClientResponse> response = request.bodyLength() == 0 && request.method() == io.callhook.model.HttpMethod.GET
                    ? http.send()
                    : http.send(Buffer.buffer(request.bodyForSending()));
            response.onComplete(this::onResponse);
        }

        private void onResponse(AsyncResult<HttpClientResponse> head) {
            if (head.failed()) {
                finish(Failures.classify(head.cause(), true, elapsed()));
                return;
            }
            HttpClientResponse response = head.result();
            response.handler(excerpt::append);
            response.end().onComplete(end -> {
                if (end.failed()) {
                    finish(Failures.classify(end.cause(), true, elapsed()));
                    return;
                }
                int status = response.statusCode();
                finish(status >= 200 && status < 300
                        ? new Delivered(status, excerpt.text(), elapsed())
                        : new Rejected(status, Optional.ofNullable(response.getHeader(HttpHeaders.RETRY_AFTER)), excerpt.text(), elapsed()));
            });
        }

        private void onDeadline() {
            if (finish(new TimedOut(http == null ? Phase.CONNECT : Phase.RESPONSE, elapsed())) && http != null) {
                // Ends the exchange and closes its connection, whether the receiver is silent or dripping bytes.
                http.reset();
            }
        }

        private boolean finish(SendResult outcome) {
            vertx.cancelTimer(deadlineTimer);
            return result.tryComplete(outcome);
        }

        private boolean isDone() {
            return result.future().isComplete();
        }

        private Duration elapsed() {
            return Duration.ofNanos(nanoTime.getAsLong() - startNanos);
        }
    }

    private static HttpMethod method(PreparedRequest request) {
        return switch (request.method()) {
            case POST -> HttpMethod.POST;
            case GET -> HttpMethod.GET;
            case PUT -> HttpMethod.PUT;
            case PATCH -> HttpMethod.PATCH;
        };
    }
}
