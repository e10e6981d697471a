package io.callhook.store.app;

import io.callhook.service.AllowedAddresses;
import io.callhook.service.Config;
import io.callhook.service.ConfigException;
import io.callhook.service.ConfigKey;
import io.callhook.service.OpsServer;
import io.callhook.service.Parsed;
import io.callhook.service.ValueParser;
import io.callhook.service.kafka.KafkaSettings;
import io.callhook.store.service.RateLimit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Every setting of the subscription store, each key documented where it is defined. */
public record StoreConfig(KafkaSettings kafka, String applicationId, String httpHost, int httpPort, String advertisedHost,
                          Tokens tokens, Optional<Path> stateDir, Duration secretGrace, TenantLimits limits,
                          Duration autoDisableAfter, String opsHost, int opsPort) {

    /** Shortest token or key accepted: 32 characters, as {@code openssl rand -base64 24} gives. */
    public static final int MIN_SECRET_LENGTH = 32;

    public static final ConfigKey<String> APPLICATION_ID = ConfigKey.string("callhook.store.application-id",
            "Kafka Streams application id of the counters and attempt log; instances with the same id share the work.")
            .withDefault("callhook-store");
    public static final ConfigKey<String> HTTP_HOST = ConfigKey.string("callhook.store.http.host",
            "Interface the API and the web page listen on.").withDefault("127.0.0.1");
    public static final ConfigKey<Integer> HTTP_PORT = ConfigKey.intRange("callhook.store.http.port",
            "Port of the API and the web page.", 1, 65535).withDefault("8480");
    public static final ConfigKey<String> ADVERTISED_HOST = ConfigKey.string("callhook.store.advertised-host",
            "Host the other instances reach this one's API on, for counters it holds; the HTTP host when unset "
                    + "(127.0.0.1 if that is 0.0.0.0).").optional();
    public static final ConfigKey<String> ADMIN_TOKEN = ConfigKey.of("callhook.store.admin-token",
            "Bearer token that sees and changes every account; at least " + MIN_SECRET_LENGTH + " characters.",
            longSecret()).secret();
    public static final ConfigKey<String> INTERNAL_TOKEN = ConfigKey.of("callhook.store.internal-token",
            "Bearer token the store's instances ask each other for the counters they hold with; it opens nothing else. "
                    + "The same on every instance, different from the admin token, at least " + MIN_SECRET_LENGTH
                    + " characters.", longSecret()).secret();
    public static final ConfigKey<String> TOKEN_KEY = ConfigKey.of("callhook.store.token-key",
            "Key account tokens are signed with (ak_<account>_<HMAC>), at least " + MIN_SECRET_LENGTH
                    + " characters; without it only the admin token works.", longSecret()).secret().optional();
    public static final ConfigKey<Path> STATE_DIR = ConfigKey.path("callhook.store.state-dir",
            "Where the counters' local state lives; Kafka Streams' default when unset.").optional();
    public static final ConfigKey<Duration> SECRET_GRACE = ConfigKey.duration("callhook.store.secret-grace",
            "How long the previous signing secret keeps signing after a rotation.").withDefault("24h");
    public static final ConfigKey<Integer> MAX_SUBSCRIPTIONS = ConfigKey.intRange("callhook.store.max-subscriptions-per-account",
            "Most subscriptions one account may have; creating one more is refused (409). The enricher holds an "
                    + "account's subscriptions together, so this bounds what one account costs it.", 1, 10_000)
            .withDefault("100");
    public static final ConfigKey<RateLimit> TEST_CALL_LIMIT = ConfigKey.of("callhook.store.test-call-limit",
            "Test webhooks one account may send, as count/period (a burst of count, refilled over period); "
                    + "more are refused with 429 and Retry-After.", RateLimit.parser()).withDefault("10/1m");
    public static final ConfigKey<RateLimit> REPLAY_LIMIT = ConfigKey.of("callhook.store.replay-limit",
            "Dead-letter replays one account may start, as count/period; more are refused with 429 and Retry-After.",
            RateLimit.parser()).withDefault("6/1h");
    public static final ConfigKey<RateLimit> ATTEMPT_REQUEST_LIMIT = ConfigKey.of("callhook.store.attempt-request-limit",
            "Attempts one account may open with their request (read back from Kafka) or send again, together, as "
                    + "count/period; more are refused with 429 and Retry-After.", RateLimit.parser()).withDefault("60/1m");
    public static final ConfigKey<Duration> REPLAY_MAX_RANGE = ConfigKey.duration("callhook.store.replay.max-range",
            "Longest time range one replay may cover (from..to); without 'from' a replay covers this much "
                    + "before 'to'.").withDefault("168h");
    public static final ConfigKey<Integer> REPLAY_MAX_LETTERS = ConfigKey.intRange("callhook.store.replay.max-letters",
            "Most dead letters one replay sends back; the same replay asked again sends the rest.", 1, 100_000)
            .withDefault("1000");
    public static final ConfigKey<Integer> REPLAY_THREADS = ConfigKey.intRange("callhook.store.replay.threads",
            "Threads that run replays (apart from those answering the API); at most one replay per account runs at a time.",
            1, 16).withDefault("2");
    public static final ConfigKey<Duration> AUTO_DISABLE_AFTER = ConfigKey.duration("callhook.store.auto-disable-after",
            "An endpoint whose every attempt failed for this long (test calls left out; counted from its first failure "
                    + "after its last success, or from its subscription's last change if later) is disabled. "
                    + "0s never disables. Default: 5 days, as Svix.").withDefault("120h");
    public static final ConfigKey<Integer> OPS_PORT = OpsServer.portKey(9403);

    public static List<ConfigKey<?>> keys() {
        List<ConfigKey<?>> keys = new ArrayList<>(KafkaSettings.keys());
        keys.addAll(List.of(APPLICATION_ID, HTTP_HOST, HTTP_PORT, ADVERTISED_HOST, ADMIN_TOKEN, INTERNAL_TOKEN, TOKEN_KEY,
                STATE_DIR, SECRET_GRACE, MAX_SUBSCRIPTIONS, TEST_CALL_LIMIT, REPLAY_LIMIT, ATTEMPT_REQUEST_LIMIT, REPLAY_MAX_RANGE, REPLAY_MAX_LETTERS,
                REPLAY_THREADS, AUTO_DISABLE_AFTER, OpsServer.HOST, OPS_PORT, AllowedAddresses.KEY));
        return keys;
    }

    /** @throws ConfigException when settings that are valid alone do not fit together */
    public static StoreConfig from(Config config) {
        String host = config.get(HTTP_HOST);
        String advertised = config.find(ADVERTISED_HOST).orElse(host.equals("0.0.0.0") ? "127.0.0.1" : host);
        Tokens tokens = new Tokens(config.get(ADMIN_TOKEN), config.get(INTERNAL_TOKEN), config.find(TOKEN_KEY));
        List<String> problems = new ArrayList<>();
        if (tokens.admin().equals(tokens.internal())) {
            problems.add(INTERNAL_TOKEN.name() + " must differ from " + ADMIN_TOKEN.name()
                    + ": the instances' credential must not open the whole API");
        }
        if (config.get(REPLAY_MAX_RANGE).isZero()) {
            problems.add(REPLAY_MAX_RANGE.name() + " = '0s' must be longer than 0");
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        TenantLimits limits = new TenantLimits(config.get(MAX_SUBSCRIPTIONS), config.get(TEST_CALL_LIMIT), config.get(REPLAY_LIMIT),
                config.get(REPLAY_MAX_RANGE), config.get(REPLAY_MAX_LETTERS), config.get(REPLAY_THREADS),
                config.get(ATTEMPT_REQUEST_LIMIT));
        return new StoreConfig(KafkaSettings.from(config, config.get(OPS_PORT)), config.get(APPLICATION_ID), host, config.get(HTTP_PORT), advertised,
                tokens, config.find(STATE_DIR), config.get(SECRET_GRACE), limits, config.get(AUTO_DISABLE_AFTER),
                config.get(OpsServer.HOST), config.get(OPS_PORT));
    }

    private static ValueParser<String> longSecret() {
        return raw -> raw.length() < MIN_SECRET_LENGTH
                ? Parsed.invalid("is " + raw.length() + " characters long; it must be at least " + MIN_SECRET_LENGTH
                        + " (generate one with: openssl rand -base64 32)")
                : Parsed.ok(raw);
    }

    /**
     * The store's credentials.
     *
     * @param admin    the admin token (every account)
     * @param internal the instances' token for each other's internal endpoint (nothing else)
     * @param tokenKey the key account tokens are signed with
     */
    public record Tokens(String admin, String internal, Optional<String> tokenKey) {

        @Override
        public String toString() {
            return "Tokens[***]";
        }
    }

    /**
     * What one account may cost the store and the pipeline behind it.
     *
     * @param maxSubscriptions  subscriptions per account
     * @param testCalls         test webhooks per account
     * @param replays           dead-letter replays per account
     * @param replayMaxRange    longest from..to of one replay
     * @param replayMaxLetters  most dead letters one replay sends
     * @param replayThreads     threads running replays, all accounts together
     * @param attemptRequests   attempts opened with their request or sent again, per account
     */
    public record TenantLimits(int maxSubscriptions, RateLimit testCalls, RateLimit replays, Duration replayMaxRange,
                               int replayMaxLetters, int replayThreads, RateLimit attemptRequests) {

        /** The defaults of the keys above. */
        public static final TenantLimits DEFAULTS = new TenantLimits(100, new RateLimit(10, Duration.ofMinutes(1)),
                new RateLimit(6, Duration.ofHours(1)), Duration.ofDays(7), 1000, 2, new RateLimit(60, Duration.ofMinutes(1)));
    }
}
