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
 * <p>The lookup blocks, and cannot be cut short: it lasts until the operating system gives up,
 * which behind a silent DNS server is many seconds. So lookups run on threads of their own, shared
 * fairly between tenants ({@link LookupScheduler}): never on an event loop, never on Vert.x's
 * worker pool, and one tenant's hanging names keep at most a few of those threads and delay only
 * that tenant's lookups. A tenant with too many lookups waiting is refused at once
 * ({@link ResolverBusyException}); a lookup whose caller's deadline passed before it could start
 * is dropped. The caller stops waiting at its deadline in any case.
 *
 * <p>Answers are cached per name for {@code ttl} and "not found" for {@code failureTtl} (bounded
 * in number), so that hundreds of webhooks to one receiver cost one lookup, and a receiver whose
 * name is gone costs one lookup per {@code failureTtl}. Concurrent lookups of one name share one
 * lookup. Refusals and expired lookups are not cached. Caching here does not weaken the SSRF
 * guard: the sender checks whatever addresses it gets, cached or not, and connects to one of them.
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
    private final Ticker ticker;
    private final LookupScheduler scheduler;
    private final AsyncCache<String, Resolution> cache;
    private final Duration ttl;
    private final Duration failureTtl;

    /** A resolver with the TTLs and lookup threads of the sender's config. */
    public JvmHostResolver(Vertx vertx, SenderConfig config) {
        this(vertx, config, InetAddress::getAllByName, Ticker.systemTicker());
    }

    /**
     * @param vertx  whose context answers are delivered on
     * @param config TTLs ({@code resolverTtl}, {@code resolverFailureTtl}) and lookup threads
     * @param lookup the blocking lookup
     * @param ticker the clock of TTLs and deadlines, in nanoseconds
     */
    JvmHostResolver(Vertx vertx, SenderConfig config, NameLookup lookup, Ticker ticker) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.ttl = config.resolverTtl();
        this.failureTtl = config.resolverFailureTtl();
        this.scheduler = new LookupScheduler(config.resolverThreads(), config.resolverLookupsPerAccount(),
                config.resolverQueuePerAccount(), ticker::read);
        this.cache = Caffeine.newBuilder()
                .maximumSize(MAX_HOSTS)
                .ticker(ticker)
                .expireAfter(new ResolutionExpiry(ttl, failureTtl))
                // Cache maintenance is tiny; running it inline avoids a hop to the common pool.
                .executor(Runnable::run)
                .buildAsync();
    }

    @Override
    public Future<List<InetAddress>> resolve(String host, String tenant, Duration within) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tenant, "tenant");
        Context context = vertx.getOrCreateContext();
        long now = ticker.read();
        long deadline = now + within.toNanos();
        String name = host.toLowerCase(Locale.ROOT);
        CompletableFuture<Resolution> resolution = cache.get(name, (key, executor) -> lookUp(key, tenant, deadline));
        if (isStale(resolution, now)) {
            // The cache sets an answer's expiry in a completion handler that may run after the
            // callers' own, so an answer can outlive its TTL by a moment; never serve it then.
            cache.asMap().remove(name, resolution);
            resolution = cache.get(name, (key, executor) -> lookUp(key, tenant, deadline));
        }
        // Back onto the caller's context: the lookup completes on a lookup thread.
        return Future.fromCompletionStage(resolution, context).compose(Resolution::toFuture);
    }

    private boolean isStale(CompletableFuture<Resolution> resolution, long now) {
        if (!resolution.isDone() || resolution.isCompletedExceptionally()) {
            return false;
        }
        Resolution answer = resolution.join();
        Duration lifetime = answer instanceof Resolution.Found ? ttl : failureTtl;
        return now - answer.resolvedAtNanos() >= lifetime.toNanos();
    }

    /** Stops the lookup threads; lookups still waiting fail. */
    @Override
    public void close() {
        scheduler.close();
    }

    private CompletableFuture<Resolution> lookUp(String host, String tenant, long deadline) {
        CompletableFuture<Resolution> result = new CompletableFuture<>();
        // Refusals and expiries say nothing about the name: never cached. (Caffeine drops a failed
        // future too, but only after callers may have seen it; removed first, the next caller looks up.)
        boolean taken = scheduler.submit(tenant, new LookupScheduler.Task(deadline,
                () -> result.complete(lookUpNow(host)),
                () -> {
                    cache.asMap().remove(host, result);
                    result.completeExceptionally(new LookupExpired(host));
                }));
        if (!taken) {
            result.completeExceptionally(new ResolverBusyException(
                    "too many name lookups of this account waiting; " + host + " was not looked up"));
        }
        return result;
    }

    private Resolution lookUpNow(String host) {
        try {
            InetAddress[] addresses = lookup.lookup(host);
            return new Resolution.Found(List.of(addresses), ticker.read());
        } catch (Exception e) {
            // A failure is an answer to cache, not a failed future (which Caffeine would drop at once).
            return new Resolution.Failed(e, ticker.read());
        }
    }

    /**
     * Answers live for their TTL from when the lookup ended, whenever the cache gets to record
     * them (its completion handler may run after the callers' own).
     */
    private record ResolutionExpiry(Duration ttl, Duration failureTtl) implements Expiry<String, Resolution> {
        @Override
        public long expireAfterCreate(String host, Resolution resolution, long currentTime) {
            long ttlNanos = (resolution instanceof Resolution.Found ? ttl : failureTtl).toNanos();
            return Math.max(0, ttlNanos - (currentTime - resolution.resolvedAtNanos()));
        }

        @Override
        public long expireAfterUpdate(String host, Resolution resolution, long currentTime, long currentDuration) {
            return expireAfterCreate(host, resolution, currentTime);
        }

        @Override
        public long expireAfterRead(String host, Resolution resolution, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }

    /** A lookup still waiting for a thread when its caller's deadline passed: dropped unstarted. */
    static final class LookupExpired extends RuntimeException {
        LookupExpired(String host) {
            super("the lookup of " + host + " could not start before the attempt's deadline", null, false, false);
        }
    }

    /** One cached answer, and when it was had (on the resolver's ticker). */
    private sealed interface Resolution {
        Future<List<InetAddress>> toFuture();

        long resolvedAtNanos();

        record Found(List<InetAddress> addresses, long resolvedAtNanos) implements Resolution {
            @Override
            public Future<List<InetAddress>> toFuture() {
                return addresses.isEmpty()
                        ? Future.failedFuture(new UnknownHostException("no addresses"))
                        : Future.succeededFuture(addresses);
            }
        }

        record Failed(Throwable cause, long resolvedAtNanos) implements Resolution {
            @Override
            public Future<List<InetAddress>> toFuture() {
                return Future.failedFuture(cause);
            }
        }
    }
}
