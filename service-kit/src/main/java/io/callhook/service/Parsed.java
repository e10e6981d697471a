package io.callhook.service;

import java.util.Objects;
import java.util.function.Function;

/**
 * The outcome of parsing one raw config value: the typed value, or why the text is not valid.
 * Parsers return this instead of throwing, so the loader can collect every problem of a config
 * before failing once.
 *
 * @param <T> the type of the parsed value
 */
public sealed interface Parsed<T> {

    /** A valid value. */
    record Ok<T>(T value) implements Parsed<T> {
        public Ok {
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * An invalid value.
     *
     * @param problem what is wrong, phrased to follow {@code key = 'value'}, e.g.
     *                "is not an integer between 1 and 65535"
     */
    record Invalid<T>(String problem) implements Parsed<T> {
        public Invalid {
            Objects.requireNonNull(problem, "problem");
        }
    }

    static <T> Parsed<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> Parsed<T> invalid(String problem) {
        return new Invalid<>(problem);
    }

    /** Transforms a valid value; an invalid one passes through unchanged. */
    default <R> Parsed<R> map(Function<? super T, ? extends R> mapper) {
        if (this instanceof Ok<T> ok) {
            return new Ok<>(mapper.apply(ok.value()));
        }
        return new Invalid<>(((Invalid<T>) this).problem());
    }
}
