package io.callhook.dispatcher.http;

import io.callhook.net.Category;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What one delivery attempt came to: the typed result of the send phase, which the handle phase
 * turns into "done", "retry later" or "dead letter". A value, never an exception: every failure
 * the network or the receiver can cause is one of these records.
 *
 * <p>{@link #errorType()} is a stable, machine-readable name for metrics tags and attempt logs;
 * the set of values is closed and listed on each record. Human-readable text ({@code reason},
 * {@code detail}, the response excerpt) is for people and must never be parsed.
 */
public sealed interface SendResult permits SendResult.Delivered, SendResult.Rejected, SendResult.TimedOut,
        SendResult.ConnectionFailed, SendResult.AddressRefused, SendResult.InvalidUrl {

    /**
     * A stable name of the outcome: {@code NONE} (delivered), {@code HTTP_STATUS}, {@code TIMEOUT},
     * {@code CONNECT}, {@code TLS}, {@code DNS}, {@code PROTOCOL}, {@code OTHER},
     * {@code RESOLVER_BUSY}, {@code REFUSED_ADDRESS} or {@code INVALID_URL}.
     */
    String errorType();

    /** Whether the receiver accepted the webhook (a 2xx status). */
    default boolean isDelivered() {
        return this instanceof Delivered;
    }

    /**
     * The receiver answered with a 2xx status.
     *
     * @param status          the status code, 200..299
     * @param responseExcerpt the start of the response body, decoded leniently as UTF-8 and cut at
     *                        the configured number of bytes; empty when there was no body
     * @param latency         from the start of {@link WebhookSender#send} to the end of the response
     */
    record Delivered(int status, String responseExcerpt, Duration latency) implements SendResult {
        public Delivered {
            Objects.requireNonNull(responseExcerpt, "responseExcerpt");
            Objects.requireNonNull(latency, "latency");
        }

        @Override
        public String errorType() {
            return "NONE";
        }
    }

    /**
     * The receiver answered with a status other than 2xx. This includes 3xx: redirects are never
     * followed, since the target of a redirect was not checked by the SSRF guard and a receiver
     * that moved should update its subscription.
     *
     * @param status           the status code (100..599 as the receiver sent it, never 2xx)
     * @param retryAfterHeader the raw {@code Retry-After} header, if any, for the retry schedule to
     *                         parse and clamp (seconds or an HTTP date)
     * @param responseExcerpt  as in {@link Delivered}
     * @param latency          as in {@link Delivered}
     */
    record Rejected(int status, Optional<String> retryAfterHeader, String responseExcerpt, Duration latency)
            implements SendResult {
        public Rejected {
            Objects.requireNonNull(retryAfterHeader, "retryAfterHeader");
            Objects.requireNonNull(responseExcerpt, "responseExcerpt");
            Objects.requireNonNull(latency, "latency");
        }

        @Override
        public String errorType() {
            return "HTTP_STATUS";
        }
    }

    /** Which part of an attempt ran out of time. */
    enum Phase {
        /**
         * Before a connection was had for the request (name resolution, TCP connect, TLS handshake
         * or waiting for a pooled connection): the request was certainly not sent.
         */
        CONNECT,
        /**
         * After the request started going out: the receiver may have received and even processed
         * it, so a retry may deliver it twice (receivers deduplicate by the webhook id).
         */
        RESPONSE
    }

    /**
     * The attempt ran out of time.
     *
     * @param phase   where it was when the time ran out
     * @param latency how long it took to give up; about the connect timeout or the request's timeout
     */
    record TimedOut(Phase phase, Duration latency) implements SendResult {
        public TimedOut {
            Objects.requireNonNull(phase, "phase");
            Objects.requireNonNull(latency, "latency");
        }

        @Override
        public String errorType() {
            return "TIMEOUT";
        }
    }

    /** Why a connection failed, told by the type of the exception, never by its message. */
    enum ConnectionFault {
        /** {@link java.net.ConnectException}: nothing listens there, or the connect was refused on the way. */
        REFUSED("CONNECT"),
        /** {@link java.net.NoRouteToHostException}: the address cannot be reached from here. */
        UNREACHABLE("CONNECT"),
        /**
         * The connection broke before a complete response: reset or closed by the receiver
         * ({@link java.net.SocketException}, {@link io.vertx.core.http.HttpClosedException},
         * {@link io.vertx.core.http.StreamResetException}).
         */
        RESET("CONNECT"),
        /** {@link java.net.UnknownHostException}, or the name has no address: the host was not found. */
        DNS_FAILURE("DNS"),
        /** {@link javax.net.ssl.SSLException}: handshake failed, certificate untrusted or for another host. */
        TLS("TLS"),
        /**
         * Not the receiver's doing: its account already had as many name lookups waiting as the
         * resolver takes ({@link ResolverBusyException}), so this one was refused at once.
         */
        RESOLVER_BUSY("RESOLVER_BUSY"),
        /** The receiver's answer was not HTTP/1.1 we can read (bad status line, headers too large). */
        PROTOCOL("PROTOCOL"),
        /** Anything else; {@link ConnectionFailed#detail()} says what. */
        OTHER("OTHER");

        private final String errorType;

        ConnectionFault(String errorType) {
            this.errorType = errorType;
        }

        /** The {@link SendResult#errorType()} of a failure of this kind. */
        public String errorType() {
            return errorType;
        }
    }

    /**
     * No response could be had: the connection failed or broke.
     *
     * @param kind    why, for metrics and the retry decision
     * @param detail  for people: the exception's type and message, e.g. "ConnectException: Connection refused"
     * @param latency from the start of the attempt to the failure
     */
    record ConnectionFailed(ConnectionFault kind, String detail, Duration latency) implements SendResult {
        public ConnectionFailed {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(latency, "latency");
        }

        @Override
        public String errorType() {
            return kind.errorType();
        }
    }

    /**
     * The SSRF guard refused the destination: its literal address, or an address its name resolves
     * to, is not one webhooks may reach. Nothing was sent and no connection was opened.
     *
     * @param category the refused range's category, for metrics
     * @param reason   for people: names the host and the refused address
     */
    record AddressRefused(Category category, String reason) implements SendResult {
        public AddressRefused {
            Objects.requireNonNull(category, "category");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String errorType() {
            return "REFUSED_ADDRESS";
        }
    }

    /**
     * The URL cannot be sent to as it is: not an absolute http(s) URL, a host that cannot be read
     * safely, credentials in it, or parsers disagreeing about its host. Retrying cannot help.
     *
     * @param reason for people; quotes the offending part
     */
    record InvalidUrl(String reason) implements SendResult {
        public InvalidUrl {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String errorType() {
            return "INVALID_URL";
        }
    }
}
