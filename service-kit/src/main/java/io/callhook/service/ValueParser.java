package io.callhook.service;

/**
 * Turns the text of a config value into a typed value, or says why it cannot.
 * Ready-made parsers are in {@link Parsers}.
 *
 * @param <T> the type of the parsed value
 */
@FunctionalInterface
public interface ValueParser<T> {

    /**
     * @param raw the value as written in the file or environment, already trimmed; never null
     * @return the typed value, or the problem (never an exception for bad input)
     */
    Parsed<T> parse(String raw);
}
