package io.callhook.service;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One documented config key: its name, what it means, its default (or that it is required or
 * optional), and how its text becomes a typed value. Define keys as constants next to the code
 * that uses them, like Kafka's {@code ConfigDef}:
 *
 * <pre>{@code
 * public static final ConfigKey<Duration> REQUEST_TIMEOUT = ConfigKey.duration("callhook.http.request-timeout",
 *         "How long one webhook delivery may take before it counts as failed.").withDefault("10s");
 * }</pre>
 *
 * <p>A key is required until it gets a default ({@link #withDefault}) or is made
 * {@link #optional()}. Its environment variable is the name upper-cased with '.' and '-' replaced
 * by '_' ({@code callhook.topic.call-events} → {@code CALLHOOK_TOPIC_CALL_EVENTS}).
 * Instances are immutable; the modifiers return copies.
 *
 * @param <T> the type of the value
 */
public final class ConfigKey<T> {

    // Lower-case dotted segments, '-' inside a segment: keeps the env mapping one-to-one and the
    // "kafka." passthrough namespace apart from declared keys.
    private static final Pattern NAME = Pattern.compile("callhook(\\.[a-z0-9]+(-[a-z0-9]+)*)+");

    private final String name;
    private final String doc;
    private final ValueParser<T> parser;
    private final String defaultValue;
    private final boolean optional;
    private final boolean secret;

    private ConfigKey(String name, String doc, ValueParser<T> parser, String defaultValue, boolean optional,
                      boolean secret) {
        this.name = name;
        this.doc = doc;
        this.parser = parser;
        this.defaultValue = defaultValue;
        this.optional = optional;
        this.secret = secret;
    }

    /**
     * A key of any kind, parsed by the given parser.
     *
     * @param name   {@code callhook.} followed by lower-case dotted segments, e.g. {@code callhook.ops.port}
     * @param doc    what the key means, for operators; never blank
     * @param parser turns the trimmed text into the value
     */
    public static <T> ConfigKey<T> of(String name, String doc, ValueParser<T> parser) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(parser, "parser");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("config key name '" + name
                    + "' must be 'callhook.' followed by lower-case dotted segments (letters, digits, '-')");
        }
        if (doc == null || doc.isBlank()) {
            throw new IllegalArgumentException("config key " + name + " needs a doc string");
        }
        return new ConfigKey<>(name, doc.strip(), parser, null, false, false);
    }

    /** Non-blank text. */
    public static ConfigKey<String> string(String name, String doc) {
        return of(name, doc, Parsers.nonBlank());
    }

    /** An integer within {@code [min, max]}. */
    public static ConfigKey<Integer> intRange(String name, String doc, int min, int max) {
        return of(name, doc, Parsers.intInRange(min, max));
    }

    /** A long within {@code [min, max]}. */
    public static ConfigKey<Long> longRange(String name, String doc, long min, long max) {
        return of(name, doc, Parsers.longInRange(min, max));
    }

    /** Exactly {@code true} or {@code false}. */
    public static ConfigKey<Boolean> bool(String name, String doc) {
        return of(name, doc, Parsers.bool());
    }

    /** A non-negative duration: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h} or ISO-8601 {@code PT5S}. */
    public static ConfigKey<Duration> duration(String name, String doc) {
        return of(name, doc, Parsers.duration());
    }

    /** One of an enum's constants, ignoring case. */
    public static <E extends Enum<E>> ConfigKey<E> enumOf(String name, String doc, Class<E> type) {
        return of(name, doc, Parsers.enumOf(type));
    }

    /** Comma-separated strings, trimmed, empty entries dropped. */
    public static ConfigKey<List<String>> stringList(String name, String doc) {
        return of(name, doc, Parsers.stringList());
    }

    /** A non-empty comma-separated list of {@code host:port}. */
    public static ConfigKey<List<HostPort>> hostPortList(String name, String doc) {
        return of(name, doc, Parsers.hostPortList());
    }

    /** An absolute http(s) URL. */
    public static ConfigKey<URI> url(String name, String doc) {
        return of(name, doc, Parsers.httpUrl());
    }

    /** A file system path (not checked for existence). */
    public static ConfigKey<Path> path(String name, String doc) {
        return of(name, doc, Parsers.path());
    }

    /**
     * The same key with a default, written as an operator would write it (e.g. {@code "5s"}).
     * The default is parsed here, so a bad default fails when the constant is defined, not in
     * production.
     *
     * @throws IllegalArgumentException if the default is not a valid value of this key
     */
    public ConfigKey<T> withDefault(String value) {
        Objects.requireNonNull(value, "value");
        if (parse(value.strip()) instanceof Parsed.Invalid<T> invalid) {
            throw new IllegalArgumentException("default of " + name + " = '" + value + "' " + invalid.problem());
        }
        return new ConfigKey<>(name, doc, parser, value.strip(), false, secret);
    }

    /** The same key without a default and not required: {@link Config#find} gives empty when unset. */
    public ConfigKey<T> optional() {
        return new ConfigKey<>(name, doc, parser, null, true, secret);
    }

    /** The same key marked secret: its value is masked in logs, errors and {@link Config#asMap()}. */
    public ConfigKey<T> secret() {
        return new ConfigKey<>(name, doc, parser, defaultValue, optional, true);
    }

    public String name() {
        return name;
    }

    public String doc() {
        return doc;
    }

    /** The environment variable that sets this key, e.g. {@code CALLHOOK_OPS_PORT}. */
    public String envName() {
        return envName(name);
    }

    /** The default as text, if the key has one. */
    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** True when the key has no default and is not optional: start fails without it. */
    public boolean isRequired() {
        return defaultValue == null && !optional;
    }

    public boolean isSecret() {
        return secret;
    }

    /** Parses a raw value (trimmed here) of this key. */
    public Parsed<T> parse(String raw) {
        return parser.parse(raw.strip());
    }

    static String envName(String keyName) {
        return keyName.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    @Override
    public String toString() {
        return name;
    }
}
