package io.callhook.dispatcher.http;

import io.callhook.service.Config;
import io.callhook.service.ConfigKey;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the sender talks HTTP. Each value has a config key defined next to its doc string;
 * {@link #from(Config)} reads them, {@link #defaults()} is what the keys default to.
 *
 * @param connectTimeout     longest wait for a connection: TCP connect, TLS handshake, or a free
 *                           pooled connection ({@code callhook.http.connect-timeout})
 * @param totalTimeout       the default of {@link PreparedRequest#timeout()}, for the engine that
 *                           prepares requests ({@code callhook.http.request-timeout})
 * @param excerptBytes       how much of a response body is kept for the attempt log; the rest is
 *                           read and dropped ({@code callhook.http.response-excerpt-bytes})
 * @param maxPoolSize        connections kept per destination (address, port, host name, TLS)
 *                           ({@code callhook.http.max-pool-size})
 * @param keepAliveTimeout   how long an idle pooled connection is kept; whole seconds
 *                           ({@code callhook.http.keep-alive-timeout})
 * @param resolverTtl        how long a resolved host name is reused ({@code callhook.http.dns-ttl})
 * @param resolverFailureTtl how long "host not found" is reused ({@code callhook.http.dns-failure-ttl})
 * @param userAgent          sent when the prepared request has no User-Agent ({@code callhook.http.user-agent})
 * @param resolverThreads    threads that run blocking name lookups ({@code callhook.http.dns-threads})
 * @param resolverLookupsPerAccount one account's lookups running at once ({@code callhook.http.dns-lookups-per-account})
 * @param resolverQueuePerAccount   one account's lookups waiting at most ({@code callhook.http.dns-queue-per-account})
 */
public record SenderConfig(Duration connectTimeout, Duration totalTimeout, int excerptBytes, int maxPoolSize,
                           Duration keepAliveTimeout, Duration resolverTtl, Duration resolverFailureTtl,
                           String userAgent, int resolverThreads, int resolverLookupsPerAccount,
                           int resolverQueuePerAccount) {

    /** What receivers see when the engine does not say otherwise. */
    public static final String DEFAULT_USER_AGENT = "Callhook/0.1 (+https://github.com/callhook)";

    static final String CONNECT_TIMEOUT_NAME = "callhook.http.connect-timeout";
    static final String TOTAL_TIMEOUT_NAME = "callhook.http.request-timeout";
    static final String EXCERPT_BYTES_NAME = "callhook.http.response-excerpt-bytes";
    static final String MAX_POOL_SIZE_NAME = "callhook.http.max-pool-size";
    static final String KEEP_ALIVE_TIMEOUT_NAME = "callhook.http.keep-alive-timeout";
    static final String RESOLVER_TTL_NAME = "callhook.http.dns-ttl";
    static final String RESOLVER_FAILURE_TTL_NAME = "callhook.http.dns-failure-ttl";
    static final String USER_AGENT_NAME = "callhook.http.user-agent";
    static final String RESOLVER_THREADS_NAME = "callhook.http.dns-threads";
    static final String RESOLVER_PER_ACCOUNT_NAME = "callhook.http.dns-lookups-per-account";
    static final String RESOLVER_QUEUE_NAME = "callhook.http.dns-queue-per-account";

    /** Upper bound of the excerpt: it is kept in memory per in-flight request and written to attempt logs. */
    static final int MAX_EXCERPT_BYTES = 1 << 20;

    public static final ConfigKey<Duration> CONNECT_TIMEOUT = ConfigKey.duration(CONNECT_TIMEOUT_NAME,
            "Longest wait for a connection to a webhook receiver: TCP connect, TLS handshake, or a free pooled "
                    + "connection. Past it the attempt is TIMEOUT in phase CONNECT, and was certainly not sent.")
            .withDefault("5s");
    public static final ConfigKey<Duration> TOTAL_TIMEOUT = ConfigKey.duration(TOTAL_TIMEOUT_NAME,
            "Longest a whole delivery attempt may take, from resolving the host to the end of the response. "
                    + "Not shorter than " + CONNECT_TIMEOUT_NAME + ".")
            .withDefault("15s");
    public static final ConfigKey<Integer> EXCERPT_BYTES = ConfigKey.intRange(EXCERPT_BYTES_NAME,
            "How many bytes of a receiver's response body are kept for the attempt log; the rest is read and "
                    + "dropped.", 0, MAX_EXCERPT_BYTES)
            .withDefault("4096");
    public static final ConfigKey<Integer> MAX_POOL_SIZE = ConfigKey.intRange(MAX_POOL_SIZE_NAME,
            "Most HTTP connections open at once to one receiver (address, port, host name); requests beyond it "
                    + "wait for a free connection, at most " + CONNECT_TIMEOUT_NAME + ".", 1, 1024)
            .withDefault("32");
    public static final ConfigKey<Duration> KEEP_ALIVE_TIMEOUT = ConfigKey.duration(KEEP_ALIVE_TIMEOUT_NAME,
            "How long an idle connection to a receiver is kept for reuse, in whole seconds. Below the receivers' "
                    + "own idle timeout (Node.js closes after 5s), or requests race the receiver's close.")
            .withDefault("4s");
    public static final ConfigKey<Duration> RESOLVER_TTL = ConfigKey.duration(RESOLVER_TTL_NAME,
            "How long a receiver's resolved addresses are reused before the host name is resolved again.")
            .withDefault("30s");
    public static final ConfigKey<Duration> RESOLVER_FAILURE_TTL = ConfigKey.duration(RESOLVER_FAILURE_TTL_NAME,
            "How long a failed name resolution (host not found) is reused before trying again.")
            .withDefault("5s");
    public static final ConfigKey<String> USER_AGENT = ConfigKey.string(USER_AGENT_NAME,
            "User-Agent sent with webhooks whose prepared headers have none.")
            .withDefault(DEFAULT_USER_AGENT);

    public static final ConfigKey<Integer> RESOLVER_THREADS = ConfigKey.intRange(RESOLVER_THREADS_NAME,
            "Threads that look up receivers' host names (the lookup blocks until the operating system answers or "
                    + "gives up). Their own, apart from Vert.x's worker pool.", 1, 1024)
            .withDefault("16");
    public static final ConfigKey<Integer> RESOLVER_PER_ACCOUNT = ConfigKey.intRange(RESOLVER_PER_ACCOUNT_NAME,
            "Most name lookups of one account running at once, so that an account whose names hang (a silent DNS "
                    + "server) holds at most this many of the " + RESOLVER_THREADS_NAME + " and delays only itself. "
                    + "Not more than " + RESOLVER_THREADS_NAME + ".", 1, 1024)
            .withDefault("2");
    public static final ConfigKey<Integer> RESOLVER_QUEUE = ConfigKey.intRange(RESOLVER_QUEUE_NAME,
            "Most name lookups of one account waiting for a thread; one more fails its attempt at once "
                    + "(RESOLVER_BUSY, retried on the schedule) instead of waiting.", 1, 100_000)
            .withDefault("64");

    /** Every key of this record, for the service's config loader. */
    public static final List<ConfigKey<?>> KEYS = List.of(CONNECT_TIMEOUT, TOTAL_TIMEOUT, EXCERPT_BYTES, MAX_POOL_SIZE,
            KEEP_ALIVE_TIMEOUT, RESOLVER_TTL, RESOLVER_FAILURE_TTL, USER_AGENT, RESOLVER_THREADS, RESOLVER_PER_ACCOUNT,
            RESOLVER_QUEUE);

    /**
     * @throws IllegalArgumentException naming the config key of the first invalid value
     */
    public SenderConfig {
        positive(connectTimeout, CONNECT_TIMEOUT_NAME);
        positive(totalTimeout, TOTAL_TIMEOUT_NAME);
        positive(resolverTtl, RESOLVER_TTL_NAME);
        positive(resolverFailureTtl, RESOLVER_FAILURE_TTL_NAME);
        positive(keepAliveTimeout, KEEP_ALIVE_TIMEOUT_NAME);
        if (connectTimeout.compareTo(totalTimeout) > 0) {
            throw new IllegalArgumentException(CONNECT_TIMEOUT_NAME + " (" + connectTimeout + ") is longer than "
                    + TOTAL_TIMEOUT_NAME + " (" + totalTimeout + "), which also bounds connecting");
        }
        // Vert.x takes the connect timeout as int milliseconds.
        if (connectTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(CONNECT_TIMEOUT_NAME + " is too long: " + connectTimeout);
        }
        // Vert.x takes the keep-alive timeout as int seconds; a fraction would silently become 0 = forever.
        if (keepAliveTimeout.toNanosPart() != 0 || keepAliveTimeout.getSeconds() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(KEEP_ALIVE_TIMEOUT_NAME + " must be whole seconds, was " + keepAliveTimeout);
        }
        if (excerptBytes < 0 || excerptBytes > MAX_EXCERPT_BYTES) {
            throw new IllegalArgumentException(EXCERPT_BYTES_NAME + " must be 0.." + MAX_EXCERPT_BYTES + ", was " + excerptBytes);
        }
        if (maxPoolSize < 1) {
            throw new IllegalArgumentException(MAX_POOL_SIZE_NAME + " must be at least 1, was " + maxPoolSize);
        }
        if (resolverThreads < 1) {
            throw new IllegalArgumentException(RESOLVER_THREADS_NAME + " must be at least 1, was " + resolverThreads);
        }
        if (resolverLookupsPerAccount < 1 || resolverLookupsPerAccount > resolverThreads) {
            throw new IllegalArgumentException(RESOLVER_PER_ACCOUNT_NAME + " must be 1.." + RESOLVER_THREADS_NAME
                    + " (" + resolverThreads + "), was " + resolverLookupsPerAccount);
        }
        if (resolverQueuePerAccount < 1) {
            throw new IllegalArgumentException(RESOLVER_QUEUE_NAME + " must be at least 1, was " + resolverQueuePerAccount);
        }
        Objects.requireNonNull(userAgent, USER_AGENT_NAME);
        if (userAgent.isBlank() || userAgent.chars().anyMatch(c -> c < ' ' || c == 0x7f)) {
            throw new IllegalArgumentException(USER_AGENT_NAME + " must be non-blank printable text");
        }
    }

    /**
     * The defaults of {@link #KEYS}: 5 s connect, 15 s total, 4096-byte excerpts, 32 connections, 4 s keep-alive,
     * 30 s / 5 s DNS, 16 lookup threads, 2 running and 64 waiting per account.
     */
    public static SenderConfig defaults() {
        return new SenderConfig(Duration.ofSeconds(5), Duration.ofSeconds(15), 4096, 32, Duration.ofSeconds(4),
                Duration.ofSeconds(30), Duration.ofSeconds(5), DEFAULT_USER_AGENT, 16, 2, 64);
    }

    /**
     * Reads {@link #KEYS} from a loaded config.
     *
     * @throws IllegalArgumentException naming the key whose value does not fit the others
     */
    public static SenderConfig from(Config config) {
        return new SenderConfig(config.get(CONNECT_TIMEOUT), config.get(TOTAL_TIMEOUT), config.get(EXCERPT_BYTES),
                config.get(MAX_POOL_SIZE), config.get(KEEP_ALIVE_TIMEOUT), config.get(RESOLVER_TTL),
                config.get(RESOLVER_FAILURE_TTL), config.get(USER_AGENT), config.get(RESOLVER_THREADS),
                config.get(RESOLVER_PER_ACCOUNT), config.get(RESOLVER_QUEUE));
    }

    /** The same config with other connect and total timeouts; for tests and tools. */
    public SenderConfig withTimeouts(Duration connect, Duration total) {
        return new SenderConfig(connect, total, excerptBytes, maxPoolSize, keepAliveTimeout, resolverTtl,
                resolverFailureTtl, userAgent, resolverThreads, resolverLookupsPerAccount, resolverQueuePerAccount);
    }

    /** The same config with another excerpt size; for tests and tools. */
    public SenderConfig withExcerptBytes(int bytes) {
        return new SenderConfig(connectTimeout, totalTimeout, bytes, maxPoolSize, keepAliveTimeout, resolverTtl,
                resolverFailureTtl, userAgent, resolverThreads, resolverLookupsPerAccount, resolverQueuePerAccount);
    }

    /** The same config with other name lookup threads and bounds; for tests and tools. */
    public SenderConfig withResolver(int threads, int perAccount, int queuePerAccount) {
        return new SenderConfig(connectTimeout, totalTimeout, excerptBytes, maxPoolSize, keepAliveTimeout, resolverTtl,
                resolverFailureTtl, userAgent, threads, perAccount, queuePerAccount);
    }

    private static void positive(Duration value, String key) {
        Objects.requireNonNull(value, key);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " must be positive, was " + value);
        }
    }
}
