package io.callhook.enricher.check;

import io.callhook.body.Validated;

/** A check of one input record: the value to pass on, or every problem, each naming the field. */
@FunctionalInterface
public interface RecordRule<V> {

    Validated<V> check(String key, V value);
}
