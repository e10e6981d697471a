package io.callhook.dispatcher.engine;

import io.callhook.service.Config;
import io.callhook.service.ConfigKey;
import java.time.Duration;
import java.util.List;

/**
 * How hard the dispatcher drives endpoints.
 *
 * @param inFlightPerEndpoint  requests one subscription's URL may have open at once
 * @param maxBuffered          requests held in memory (queued and in flight) before the consumer pauses
 * @param laneMaxBacklog       how much of its endpoint's work a lane may hold once the buffer is half full
 * @param breakerFailureRate   failure percentage over the breaker's window that opens it
 * @param breakerWindow        calls the failure rate is computed over
 * @param breakerMinimumCalls  calls needed before the rate counts
 * @param breakerOpenFor       how long an open breaker sends requests straight to the next tier
 */
public record EngineConfig(int inFlightPerEndpoint, int maxBuffered, Duration laneMaxBacklog, int breakerFailureRate,
                           int breakerWindow, int breakerMinimumCalls, Duration breakerOpenFor) {

    public static final ConfigKey<Integer> IN_FLIGHT_PER_ENDPOINT = ConfigKey.intRange("callhook.dispatcher.in-flight-per-endpoint",
            "Requests one subscription's endpoint may have open at once; its first attempts leave in order.", 1, 1024)
            .withDefault("16");
    public static final ConfigKey<Integer> MAX_BUFFERED = ConfigKey.intRange("callhook.dispatcher.max-buffered",
            "Requests held in memory, queued or in flight, before the dispatcher stops reading more.", 16, 1_000_000)
            .withDefault("10000");
    public static final ConfigKey<Duration> LANE_MAX_BACKLOG = ConfigKey.duration("callhook.dispatcher.lane.max-backlog",
            "Once the dispatcher holds half of max-buffered requests, how much waiting work one endpoint's lane may keep: "
                    + "requests beyond what the endpoint is expected to take in this time (by its rate limit and its recent "
                    + "response times) go to the retry tier that fits their wait, with an attempt record LANE_FULL, so a slow "
                    + "or rate-limited endpoint cannot fill the buffer and pause delivery for every other one.")
            .withDefault("10s");
    public static final ConfigKey<Integer> BREAKER_FAILURE_RATE = ConfigKey.intRange("callhook.dispatcher.breaker.failure-rate",
            "Percentage of failed calls (over the breaker window) that opens an endpoint's circuit breaker.", 1, 100)
            .withDefault("50");
    public static final ConfigKey<Integer> BREAKER_WINDOW = ConfigKey.intRange("callhook.dispatcher.breaker.window",
            "Number of recent calls to an endpoint its failure rate is computed over.", 2, 10_000).withDefault("20");
    public static final ConfigKey<Integer> BREAKER_MINIMUM_CALLS = ConfigKey.intRange("callhook.dispatcher.breaker.minimum-calls",
            "Calls to an endpoint before its failure rate can open the breaker.", 1, 10_000).withDefault("10");
    public static final ConfigKey<Duration> BREAKER_OPEN_FOR = ConfigKey.duration("callhook.dispatcher.breaker.open-for",
            "How long an open breaker moves an endpoint's requests straight to the next retry tier before probing it again.")
            .withDefault("30s");
    public static final List<ConfigKey<?>> KEYS = List.of(IN_FLIGHT_PER_ENDPOINT, MAX_BUFFERED, LANE_MAX_BACKLOG, BREAKER_FAILURE_RATE,
            BREAKER_WINDOW, BREAKER_MINIMUM_CALLS, BREAKER_OPEN_FOR);

    public static final EngineConfig DEFAULTS = new EngineConfig(16, 10_000, Duration.ofSeconds(10), 50, 20, 10,
            Duration.ofSeconds(30));

    public EngineConfig {
        if (laneMaxBacklog.isNegative() || laneMaxBacklog.isZero()) {
            throw new IllegalArgumentException(LANE_MAX_BACKLOG.name() + " must be positive, was " + laneMaxBacklog);
        }
    }

    public static EngineConfig from(Config config) {
        return new EngineConfig(config.get(IN_FLIGHT_PER_ENDPOINT), config.get(MAX_BUFFERED), config.get(LANE_MAX_BACKLOG),
                config.get(BREAKER_FAILURE_RATE),
                config.get(BREAKER_WINDOW), config.get(BREAKER_MINIMUM_CALLS), config.get(BREAKER_OPEN_FOR));
    }
}
