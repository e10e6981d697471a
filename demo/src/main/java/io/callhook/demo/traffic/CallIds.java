package io.callhook.demo.traffic;

import java.util.function.LongSupplier;

/**
 * Call ids that stay unique when the demo is restarted against the same broker, without storing
 * anything: each id is the clock in epoch milliseconds, or the previous id + 1 if that is larger.
 * A new run starts at its own clock, past every id an earlier run could have taken as long as it
 * began at most one call per millisecond on average ({@link TrafficSettings#MAX_RATE}). Ids stay
 * below 2^52 (about the year 144,000), where the ids of test calls begin, and below 2^53 so
 * JavaScript reads them exactly.
 */
final class CallIds {

    /** First id of the store's test calls; demo calls never reach it. */
    static final long TEST_CALLS_FROM = 1L << 52;

    private final LongSupplier epochMillis;
    private long last;

    CallIds(LongSupplier epochMillis) {
        this.epochMillis = epochMillis;
    }

    synchronized long next() {
        long id = Math.max(last + 1, epochMillis.getAsLong());
        if (id >= TEST_CALLS_FROM) {
            throw new IllegalStateException("call id " + id + " would reach the test calls' range (2^52 and up)");
        }
        last = id;
        return id;
    }
}
