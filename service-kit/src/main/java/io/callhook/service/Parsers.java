package io.callhook.service;

import io.callhook.duration.DurationText;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The ready-made kinds of config values. Each parser receives the trimmed raw text and returns a
 * {@link Parsed}; the problem texts are phrased to follow {@code key = 'value'} in an error.
 */
public final class Parsers {

    private Parsers() {
    }

    /** Any text that is not blank. */
    public static ValueParser<String> nonBlank() {
        return raw -> raw.isEmpty() ? Parsed.invalid("must not be blank") : Parsed.ok(raw);
    }

    /** A decimal integer within {@code [min, max]}. */
    public static ValueParser<Integer> intInRange(int min, int max) {
        ValueParser<Long> longs = longInRange(min, max);
        return raw -> longs.parse(raw).map(Long::intValue);
    }

    /** A decimal integer within {@code [min, max]}. */
    public static ValueParser<Long> longInRange(long min, long max) {
        String problem = "is not an integer between " + min + " and " + max;
        return raw -> {
            try {
                long value = Long.parseLong(raw);
                return value < min || value > max ? Parsed.invalid(problem) : Parsed.ok(value);
            } catch (NumberFormatException e) {
                return Parsed.invalid(problem);
            }
        };
    }

    /** Exactly {@code true} or {@code false}: "yes", "1" or "TRUE" are refused rather than guessed. */
    public static ValueParser<Boolean> bool() {
        return raw -> switch (raw) {
            case "true" -> Parsed.ok(true);
            case "false" -> Parsed.ok(false);
            default -> Parsed.invalid("is not true or false");
        };
    }

    /** A non-negative duration: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h} or ISO-8601 {@code PT5S}. */
    public static ValueParser<Duration> duration() {
        return raw -> {
            DurationText.Reading reading = DurationText.parse(raw);
            return reading.isValid() ? Parsed.ok(reading.duration()) : Parsed.invalid(reading.problem());
        };
    }

    /** One of the enum's constants, matched ignoring case (environment values are often lower-case). */
    public static <E extends Enum<E>> ValueParser<E> enumOf(Class<E> type) {
        E[] constants = type.getEnumConstants();
        String problem = "is not one of " + Arrays.toString(constants);
        return raw -> {
            for (E constant : constants) {
                if (constant.name().equalsIgnoreCase(raw)) {
                    return Parsed.ok(constant);
                }
            }
            return Parsed.invalid(problem);
        };
    }

    /** Comma-separated strings, each trimmed; empty entries (e.g. a trailing comma) are dropped. */
    public static ValueParser<List<String>> stringList() {
        return raw -> Parsed.ok(split(raw));
    }

    /** A non-empty comma-separated list of {@code host:port}, e.g. Kafka's bootstrap servers. */
    public static ValueParser<List<HostPort>> hostPortList() {
        return raw -> {
            List<String> entries = split(raw);
            if (entries.isEmpty()) {
                return Parsed.invalid("is not a comma-separated list of host:port (it is empty)");
            }
            List<HostPort> endpoints = new ArrayList<>();
            for (String entry : entries) {
                HostPort endpoint = hostPort(entry);
                if (endpoint == null) {
                    return Parsed.invalid("is not a comma-separated list of host:port (bad entry '" + entry
                            + "', expected e.g. kafka-1:9092 or [::1]:9092)");
                }
                endpoints.add(endpoint);
            }
            return Parsed.ok(List.copyOf(endpoints));
        };
    }

    /** An absolute {@code http} or {@code https} URL with a host. */
    public static ValueParser<URI> httpUrl() {
        String problem = "is not an absolute http(s) URL (e.g. http://127.0.0.1:8081)";
        return raw -> {
            try {
                URI uri = new URI(raw);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                boolean http = scheme.equals("http") || scheme.equals("https");
                return http && uri.getHost() != null ? Parsed.ok(uri) : Parsed.invalid(problem);
            } catch (URISyntaxException e) {
                return Parsed.invalid(problem);
            }
        };
    }

    /** A file system path; whether it exists is left to the service, which knows if it must. */
    public static ValueParser<Path> path() {
        return raw -> {
            if (raw.isEmpty()) {
                return Parsed.invalid("must not be blank");
            }
            try {
                return Parsed.ok(Path.of(raw));
            } catch (InvalidPathException e) {
                return Parsed.invalid("is not a valid path (" + e.getReason() + ")");
            }
        };
    }

    private static List<String> split(String raw) {
        return Arrays.stream(raw.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** @return the endpoint, or null when the entry is not host:port */
    private static HostPort hostPort(String entry) {
        int colon = entry.lastIndexOf(':');
        if (colon <= 0) {
            return null;
        }
        String host = entry.substring(0, colon);
        boolean bracketed = host.startsWith("[") && host.endsWith("]") && host.length() > 2;
        // An unbracketed colon means an IPv6 address without brackets: the port would be ambiguous.
        if (!bracketed && (host.contains(":") || host.contains("[") || host.contains("]"))
                || host.chars().anyMatch(Character::isWhitespace)) {
            return null;
        }
        Parsed<Integer> port = intInRange(1, 65535).parse(entry.substring(colon + 1));
        return port instanceof Parsed.Ok<Integer> ok ? new HostPort(host, ok.value()) : null;
    }
}
