package io.callhook.dispatcher.retry;

import java.util.Objects;
import java.util.Optional;

/**
 * How a delivery attempt failed, as far as the retry decision cares. The sender classifies by
 * type (status code, exception class), never by message text, and maps to one of these.
 *
 * <p>Outcomes that are not retried at all (410 Gone disabling the endpoint, a refused address, an
 * invalid URL) are handled before a retry is decided and have no kind here.
 */
public sealed interface FailureKind {

    /** Timed out waiting for the receiver; whether it processed the request is unknown. */
    FailureKind TIMEOUT = new Timeout();
    /** Could not connect (refused, reset, DNS, TLS). */
    FailureKind CONNECT_ERROR = new ConnectError();
    /** Not attempted: the endpoint's circuit breaker is open. */
    FailureKind CIRCUIT_OPEN = new CircuitOpen();
    /** Not attempted: the endpoint's lane already holds more work than it is expected to take soon. */
    FailureKind LANE_FULL = new LaneFull();

    /**
     * The receiver answered with a status other than 2xx.
     *
     * @param status     the HTTP status, 100..599 but not 2xx
     * @param retryAfter the {@code Retry-After} header's raw value, if the response had one;
     *                   only honoured for 429 and 503 (see {@link #honoursRetryAfter()})
     */
    record HttpStatus(int status, Optional<String> retryAfter) implements FailureKind {

        public HttpStatus {
            Objects.requireNonNull(retryAfter, "retryAfter");
            if (status < 100 || status > 599 || (status >= 200 && status < 300)) {
                throw new IllegalArgumentException("not a failed HTTP status: " + status);
            }
        }

        /** A status without {@code Retry-After}. */
        public static HttpStatus of(int status) {
            return new HttpStatus(status, Optional.empty());
        }

        /** A status with the raw {@code Retry-After} value, which may be null when absent. */
        public static HttpStatus of(int status, String retryAfter) {
            return new HttpStatus(status, Optional.ofNullable(retryAfter));
        }

        /**
         * Whether {@code Retry-After} counts for this status: 429 Too Many Requests and 503
         * Service Unavailable, where RFC 9110 and RFC 6585 give it the meaning "come back then".
         * On other statuses it is at best a hint meant for browsers, and honouring it would let
         * any failing endpoint stretch our schedule.
         */
        public boolean honoursRetryAfter() {
            return status == 429 || status == 503;
        }
    }

    /** See {@link #TIMEOUT}. */
    record Timeout() implements FailureKind {
    }

    /** See {@link #CONNECT_ERROR}. */
    record ConnectError() implements FailureKind {
    }

    /**
     * See {@link #CIRCUIT_OPEN}. Callers count it in the attempts like any failure: the breaker is
     * open because the endpoint keeps failing, and not counting it would keep a webhook for ever
     * while the endpoint stays down.
     */
    record CircuitOpen() implements FailureKind {
    }

    /**
     * See {@link #LANE_FULL}. Counted in the attempts like {@link CircuitOpen}: a subscription that
     * gets more than its endpoint takes for the whole schedule ends as dead letters (replayable),
     * rather than circulating for ever.
     */
    record LaneFull() implements FailureKind {
    }
}
