package io.callhook.dispatcher.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.callhook.dispatcher.http.SendResult.AddressRefused;
import io.callhook.dispatcher.http.SendResult.ConnectionFailed;
import io.callhook.dispatcher.http.SendResult.ConnectionFault;
import io.callhook.dispatcher.http.SendResult.InvalidUrl;
import io.callhook.dispatcher.http.SendResult.Phase;
import io.callhook.dispatcher.http.SendResult.TimedOut;
import io.callhook.net.AddressPolicy;
import io.callhook.net.UrlHost;
import io.callhook.net.Verdict;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * The send phase of delivery: takes a {@link PreparedRequest} to its receiver and says how it went
 * as a {@link SendResult}. Thread-safe; one instance, with one pooled HTTP client, serves the
 * whole dispatcher. {@link #send} never fails its future: refusals, timeouts and broken
 * connections are results.
 *
 * <p>The SSRF guard runs here, on the address actually connected to:
 * <ol>
 *   <li>the URL's host is read ({@link UrlHost}); an unreadable URL is {@link InvalidUrl};</li>
 *   <li>a literal address is checked with the {@link AddressPolicy}, every reading of it;</li>
 *   <li>a name is resolved once with the {@link HostResolver}, and every address it resolves to
 *       is checked: one refused address refuses the name, since the client could otherwise be
 *       steered to it later (and {@code localhost} names are refused before any lookup);</li>
 *   <li>the connection goes to the first checked address itself, not to the name, so a second,
 *       different answer from DNS (rebinding) is never asked for.</li>
 * </ol>
 * A refusal is {@link AddressRefused} and opens no connection.
 */
public final class WebhookSender implements AutoCloseable {

    private final Vertx vertx;
    private final AddressPolicy policy;
    private final HostResolver resolver;
    private final LongSupplier nanoTime;
    private final Exchange exchange;
    /** URLs read, by their text; bounded (a GET's URL carries its call's data, so each is new). */
    private final Cache<String, UrlVerdict> urls = Caffeine.newBuilder().maximumSize(10_000).executor(Runnable::run).build();

    /**
     * A sender with its own pooled Vert.x HTTP client on the given Vert.x.
     *
     * @param vertx    runs the HTTP client, timers and name lookups
     * @param config   timeouts, pool size, excerpt size, user agent
     * @param policy   which addresses webhooks may go to ({@link AddressPolicy#STRICT} in production)
     * @param resolver how host names become addresses (see {@link JvmHostResolver}); closed with the sender
     * @param nanoTime the clock latencies are measured with, in nanoseconds ({@code System::nanoTime})
     */
    public WebhookSender(Vertx vertx, SenderConfig config, AddressPolicy policy, HostResolver resolver,
                         LongSupplier nanoTime) {
        this(vertx, policy, resolver, nanoTime, new VertxExchange(vertx, config, nanoTime, UnaryOperator.identity()));
    }

    /** A sender resolving names with a {@link JvmHostResolver} (its own lookup threads) and timing with {@link System#nanoTime()}. */
    public WebhookSender(Vertx vertx, SenderConfig config, AddressPolicy policy) {
        this(vertx, config, policy, new JvmHostResolver(vertx, config), System::nanoTime);
    }

    WebhookSender(Vertx vertx, AddressPolicy policy, HostResolver resolver, LongSupplier nanoTime, Exchange exchange) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.exchange = Objects.requireNonNull(exchange, "exchange");
    }

    /**
     * Sends one request: checks its destination, then (if allowed) sends it and reads the
     * response within {@link PreparedRequest#timeout()}.
     *
     * @return completes with the result, never fails
     */
    public Future<SendResult> send(PreparedRequest request) {
        Objects.requireNonNull(request, "request");
        long start = nanoTime.getAsLong();
        UrlVerdict verdict = urls.get(request.url(), this::read);
        if (verdict instanceof UrlVerdict.Unsendable unsendable) {
            return Future.succeededFuture(unsendable.result());
        }
        Target target = ((UrlVerdict.Sendable) verdict).target();
        return guard(target, request, start).compose(checked -> checked instanceof Checked.Pass pass
                ? exchange.exchange(pass.destination(), request, start)
                : Future.succeededFuture(((Checked.Stop) checked).result()));
    }

    /**
     * What can be said of a URL before any name lookup; the same for the same text, so it is
     * read once per URL rather than once per webhook (hundreds of webhooks share a URL).
     */
    private UrlVerdict read(String url) {
        UrlHost host = UrlHost.ofUrl(url);
        if (host instanceof UrlHost.Invalid invalid) {
            return new UrlVerdict.Unsendable(new InvalidUrl(invalid.reason()));
        }
        // The guard's verdict first: "http://0x7f.1/" is a loopback address, whatever else is wrong with it.
        // Literals (every reading) and localhost names are decided here, without DNS.
        if (policy.check(host) instanceof Verdict.Refused refused) {
            return new UrlVerdict.Unsendable(new AddressRefused(refused.category(), refused.reason()));
        }
        Target.Parsed parsed = Target.parse(url, host);
        if (parsed instanceof Target.Invalid invalid) {
            return new UrlVerdict.Unsendable(new InvalidUrl(invalid.reason()));
        }
        return new UrlVerdict.Sendable(((Target.Valid) parsed).target());
    }

    /** A URL read: where to send, or the result that stops it (no time in it: the same at every use). */
    private sealed interface UrlVerdict {
        record Sendable(Target target) implements UrlVerdict {
        }

        record Unsendable(SendResult result) implements UrlVerdict {
        }
    }

    /** Starts closing the HTTP client and its connections (closing Vert.x waits for it), and closes the resolver. */
    @Override
    public void close() {
        exchange.close();
        resolver.close();
    }

    /** Where the guard lets a request go, or the result that stops it. */
    private sealed interface Checked {
        record Pass(Destination destination) implements Checked {
        }

        record Stop(SendResult result) implements Checked {
        }
    }

    private Future<Checked> guard(Target target, PreparedRequest request, long start) {
        if (target.host() instanceof UrlHost.Literal literal) {
            InetAddress address = literal.address();
            return Future.succeededFuture(new Checked.Pass(destinationOf(target, address, literalAuthority(target, address))));
        }
        String name = ((UrlHost.Name) target.host()).host();
        return withinTimeout(resolve(name, request, start), request, start)
                .map(addresses -> checkAll(target, name, addresses, start))
                .otherwise(failure -> new Checked.Stop(resolutionFailed(failure, start)));
    }

    private Checked checkAll(Target target, String name, List<InetAddress> addresses, long start) {
        if (addresses.isEmpty()) {
            return new Checked.Stop(new ConnectionFailed(ConnectionFault.DNS_FAILURE, name + " has no addresses", elapsed(start)));
        }
        for (InetAddress address : addresses) {
            if (policy.check(address) instanceof Verdict.Refused refused) {
                return new Checked.Stop(new AddressRefused(refused.category(), name + " resolves to a refused address: " + refused.reason()));
            }
        }
        return new Checked.Pass(destinationOf(target, addresses.get(0), name));
    }

    private static Destination destinationOf(Target target, InetAddress checked, String authority) {
        try {
            // Only the bytes: an address from a lookup carries its name, which a client could resolve again.
            InetAddress bare = InetAddress.getByAddress(checked.getAddress());
            return new Destination(bare, authority, target.port(), target.ssl(), target.requestUri());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an InetAddress had " + checked.getAddress().length + " bytes", e);
        }
    }

    /**
     * The Host header form of a literal: IPv4 as a dotted quad (even if written "0x7f.1"), IPv6 as
     * written, in brackets (Vert.x would not add them; the JDK's text is not the RFC 5952 form).
     */
    private static String literalAuthority(Target target, InetAddress address) {
        return address instanceof Inet6Address ? target.uriHost() : address.getHostAddress();
    }

    /** Bounds a lookup by the request's timeout: the OS resolver may retry for longer. */
    private <T> Future<T> withinTimeout(Future<T> lookup, PreparedRequest request, long start) {
        long remainingMillis = request.timeout().toMillis() - elapsed(start).toMillis();
        if (remainingMillis <= 0) {
            return Future.failedFuture(new ResolutionTimeout());
        }
        Promise<T> bounded = Promise.promise();
        long timer = vertx.setTimer(remainingMillis, id -> bounded.tryFail(new ResolutionTimeout()));
        lookup.onComplete(outcome -> {
            vertx.cancelTimer(timer);
            if (outcome.succeeded()) {
                bounded.tryComplete(outcome.result());
            } else {
                bounded.tryFail(outcome.cause());
            }
        });
        return bounded.future();
    }

    /** A resolver that throws breaks one send, not the caller: {@link #send} never fails. */
    private Future<List<InetAddress>> resolve(String name, PreparedRequest request, long start) {
        try {
            Duration remaining = request.timeout().minus(elapsed(start));
            return resolver.resolve(name, request.tenant(), remaining.isNegative() ? Duration.ZERO : remaining);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    private SendResult resolutionFailed(Throwable failure, long start) {
        Duration latency = elapsed(start);
        if (failure instanceof ResolutionTimeout || failure instanceof JvmHostResolver.LookupExpired) {
            return new TimedOut(Phase.CONNECT, latency);
        }
        if (failure instanceof ResolverBusyException busy) {
            return new ConnectionFailed(ConnectionFault.RESOLVER_BUSY, busy.getMessage(), latency);
        }
        // UnknownHostException becomes DNS_FAILURE there, like every other type it knows.
        return Failures.classify(failure, false, latency);
    }

    private Duration elapsed(long start) {
        return Duration.ofNanos(nanoTime.getAsLong() - start);
    }

    /** The lookup outlived the request's timeout. */
    private static final class ResolutionTimeout extends RuntimeException {
        ResolutionTimeout() {
            super("name resolution outlived the request's timeout", null, false, false);
        }
    }
}
