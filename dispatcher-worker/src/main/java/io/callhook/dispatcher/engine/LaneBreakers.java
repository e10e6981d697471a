package io.callhook.dispatcher.engine;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

/**
 * The circuit breaker every lane gets, from the engine's settings: count-based over the last
 * {@link EngineConfig#breakerWindow()} answers, open at {@link EngineConfig#breakerFailureRate()}
 * per cent failures once {@link EngineConfig#breakerMinimumCalls()} were seen, for
 * {@link EngineConfig#breakerOpenFor()}, then two trial requests. What counts as a failure is the
 * lane's rule ({@link Lane#recordAnswer}).
 */
public final class LaneBreakers {

    private final CircuitBreakerConfig config;

    private LaneBreakers(CircuitBreakerConfig config) {
        this.config = config;
    }

    public static LaneBreakers of(EngineConfig engine) {
        return new LaneBreakers(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(engine.breakerWindow())
                .minimumNumberOfCalls(engine.breakerMinimumCalls())
                .failureRateThreshold(engine.breakerFailureRate())
                .waitDurationInOpenState(engine.breakerOpenFor())
                .permittedNumberOfCallsInHalfOpenState(2)
                .build());
    }

    CircuitBreaker forSubscription(String subscriptionId) {
        return CircuitBreaker.of(subscriptionId, config);
    }
}
