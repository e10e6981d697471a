package io.callhook.body;

import java.util.List;
import java.util.Objects;

/**
 * The typed outcome of checking customer input: the checked value, or every problem found, each
 * message naming the offending key or parameter. Refusals are values, not exceptions, so the
 * subscription API can show them and the stream processor can route them.
 *
 * @param <T> the type of the checked value
 */
public sealed interface Validated<T> permits Validated.Valid, Validated.Invalid {

    /** The input was accepted. */
    record Valid<T>(T value) implements Validated<T> {
        public Valid {
            Objects.requireNonNull(value, "value");
        }
    }

    /** The input was refused; {@code errors} is never empty. */
    record Invalid<T>(List<String> errors) implements Validated<T> {
        public Invalid {
            errors = List.copyOf(errors);
            if (errors.isEmpty()) {
                throw new IllegalArgumentException("an Invalid result needs at least one error");
            }
        }
    }

    /** Whether the input was accepted. */
    default boolean isValid() {
        return this instanceof Valid;
    }
}
