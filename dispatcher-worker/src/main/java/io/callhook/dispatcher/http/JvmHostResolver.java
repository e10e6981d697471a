package io.callhook.dispatcher.http;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Resolves host names with the JVM's resolver ({@link InetAddress#getAllByName}, which reads
 * {@code /etc/hosts} and then DNS as the operating system is configured) and keeps the answers
 * for a short time.
 *
 * <p>The lookup blocks, so it runs on Vert.x's worker pool, never on an event loop. Answers are
 * cached per name for {@code ttl}, and "not found" for {@code failureTtl}, so that hundreds of
 * webhooks to one receiver cost one lookup, and a receiver whose name is gone does not tie up
 * the worker pool with a lookup per attempt. Concurrent lookups of one name share one lookup.
 * Caching here does not weaken the SSRF guard: the sender checks whatever addresses it gets,
 * cached or not, and connects to one of them.
 */
public final class JvmHostResolver implements HostResolver {

    /** A blocking name lookup; the JVM's by default, a fake in tests so they never touch DNS. */
    @FunctionalInterface
    interface NameLookup {
        InetAddress[] lookup(String host) throws UnknownHostException;
    }

    /** Enough for every receiver host of a busy dispatcher; an entry is a few addresses. */
    private static final long MAX_HOSTS = 100_000;

    private final Vertx vertx;
    private final NameLookup lookup;
    private final AsyncCache<String, Resolution> cache;

    /**
     * @param vertx      whose worker pool runs the lookups
     * @param ttl        how long resolved addresses are reused
     * @param failureTtl how long a failed lookup is reused
     */
    public JvmHostResolver(Vertx vertx, Duration ttl, Duration failureTtl) {
        this(vertx, ttl, failureTtl, InetAddress::getAllByName, Ticker.systemTicker());
    }

    /** A resolver with the TTLs of the sender's config. */
    public JvmHostResolver(Vertx vertx, SenderConfig config) {
        this(vertx, config.resolverTtl(), config.resolverFailureTtl());
    }

    JvmHostResolver(Vertx vertx, Duration ttl, Duration failureTtl, NameLookup lookup, Ticker ticker) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(failureTtl, "failureTtl");
        this.cache = Caffeine.newBuilder()
                .maximumSize(MAX_HOSTS)
                .ticker(ticker)
                // Expiry is computed when the lookup completes, so success and failure can differ.
                .expireAfter(Expiry.creating((String host, Resolution resolution) ->
                        resolution instanceof Resolution.Found ? ttl : failureTtl))
                // Cache maintenance is tiny; running it inline avoids a hop to the common pool.
                .executor(Runnable::run)
                .buildAsync();
    }

    @Override
    public Future<List<InetAddress>> resolve(String host) {
        Objects.requireNonNull(host, "host");
        Context context = vertx.getOrCreateContext();
        CompletableFuture<Resolution> resolution = cache.get(host.toLowerCase(Locale.ROOT), (name, executor) -> lookUp(name));
        // Back onto the caller's context: the Caffeine future completes on a worker thread.
        return Future.fromCompletionStage(resolution, context).compose(Resolution::toFuture);
    }

    private CompletableFuture<Resolution> lookUp(String host) {
        // ordered=false: lookups of different names must not queue behind each other.
        return vertx.executeBlocking(() -> List.of(lookup.lookup(host)), false)
                .<Resolution>map(Resolution.Found::new)
                // A failure is an answer to cache, not a failed future (which Caffeine would drop at once).
                .otherwise(Resolution.Failed::new)
                .toCompletionStage()
                .toCompletableFuture();
    }

    /** One cached answer. */
    private sealed interface Resolution {
        Future<List<InetAddress>> toFuture();

        record Found(List<InetAddress> addresses) implements Resolution {
            @Override
            public Future<List<InetAddress>> toFuture() {
                return addresses.isEmpty()
                        ? Future.failedFuture(new UnknownHostException("no addresses"))
                        : Future.succeededFuture(addresses);
            }
        }

        record Failed(Throwable cause) implements Resolution {
            @Override
            public Future<List<InetAddress>> toFuture() {
                return Future.failedFuture(cause);
            }
        }
    }
}
