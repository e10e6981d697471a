package io.callhook.enricher.check;

import io.callhook.model.DeadLetter;

/**
 * A record after its checks: passed on (a null value is a tombstone) or turned into a dead letter.
 */
public sealed interface Checked<V> permits Checked.Passed, Checked.Failed {

    record Passed<V>(V value) implements Checked<V> {
    }

    record Failed<V>(DeadLetter deadLetter) implements Checked<V> {
    }
}
