package io.callhook.deadletter;

import java.util.EnumSet;
import java.util.Set;

/**
 * Why a record is on {@code webhooks.dead-letter}: every {@code DeadLetter.reasonCode} any service
 * writes, and which services write it. The record field stays a string (readers of older records
 * and other languages read it as such); this type is what our code writes and compares with, so
 * a code cannot be misspelt or added without appearing here (and in the producer guides, which a
 * test keeps in step for the enricher's codes).
 */
public enum DeadLetterReason {

    /** Could not be decoded as its topic's type (its bytes are kept). */
    UNDECODABLE(Writer.ENRICHER, Writer.DISPATCHER, Writer.STORE),
    /** Decodable, but breaks the rules of its topic. */
    INVALID_RECORD(Writer.ENRICHER),
    /** Processing it failed unexpectedly. */
    PROCESSING_ERROR(Writer.ENRICHER, Writer.STORE),
    /** A subscription larger than the enricher holds ({@code callhook.enricher.max-subscription-bytes}). */
    SUBSCRIPTION_TOO_LARGE(Writer.ENRICHER),
    /** A subscription past its account's cap ({@code callhook.enricher.max-subscriptions-per-account}). */
    TOO_MANY_SUBSCRIPTIONS(Writer.ENRICHER),
    /** A webhook for a disabled subscription (by its customer, by a 410 or by auto-disable): replayable once enabled. */
    SUBSCRIPTION_DISABLED(Writer.ENRICHER, Writer.DISPATCHER),
    /** Every attempt of the retry schedule failed; the whole history is kept, replayable. */
    RETRIES_EXHAUSTED(Writer.DISPATCHER),
    /** The subscription has no secret to sign with. */
    NO_SIGNING_SECRET(Writer.DISPATCHER),
    /** The subscription on the topic breaks the rules (written there by another producer). */
    SUBSCRIPTION_INVALID(Writer.DISPATCHER),
    /** Preparing the request failed (a bug, or data no request can carry). */
    PREPARE_FAILED(Writer.DISPATCHER),
    /** Building the outcome of an attempt failed. */
    OUTCOME_FAILED(Writer.DISPATCHER),
    /** The retry could not be written to its tier. */
    RETRY_UNWRITABLE(Writer.DISPATCHER),
    /** The URL's address is one the SSRF guard refuses. */
    REFUSED_ADDRESS(Writer.DISPATCHER),
    /** The URL cannot be sent to. */
    INVALID_URL(Writer.DISPATCHER);

    /** The services that write dead letters. */
    public enum Writer { ENRICHER, DISPATCHER, STORE }

    /** Longest reason text a dead letter carries; a longer one is cut, ending in "…". */
    public static final int MAX_REASON = 2000;

    private final Set<Writer> writers;

    DeadLetterReason(Writer first, Writer... more) {
        this.writers = EnumSet.of(first, more);
    }

    public Set<Writer> writers() {
        return writers;
    }

    /** The reason code as the record carries it. */
    public String code() {
        return name();
    }

    /** The one rule for a dead letter's reason text: at most {@link #MAX_REASON} characters. */
    public static String text(String reason) {
        if (reason == null) {
            return "";
        }
        return reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) + "…" : reason;
    }
}
