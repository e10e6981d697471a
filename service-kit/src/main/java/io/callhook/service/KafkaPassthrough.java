package io.callhook.service;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Kafka client properties that operators set without the service declaring them:
 * {@code kafka.security.protocol} in the file, or {@code CALLHOOK_KAFKA__SECURITY_PROTOCOL} in the
 * environment (the double underscore marks passthrough; single underscores become dots).
 */
final class KafkaPassthrough {

    static final String FILE_PREFIX = "kafka.";
    static final String ENV_PREFIX = "CALLHOOK_KAFKA__";

    // Kafka's client property names are lower-case dotted words; anything else is a mistake.
    private static final Pattern PROPERTY = Pattern.compile("[a-z0-9]+(\\.[a-z0-9]+)*");

    private KafkaPassthrough() {
    }

    /** The Kafka property of a file key {@code kafka.<property>}, if it names one. */
    static Optional<String> fromFileKey(String key) {
        String property = key.substring(FILE_PREFIX.length());
        return PROPERTY.matcher(property).matches() ? Optional.of(property) : Optional.empty();
    }

    /** The Kafka property of an env var {@code CALLHOOK_KAFKA__<PROPERTY>}, if it names one. */
    static Optional<String> fromEnvName(String variable) {
        String property = variable.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
        return PROPERTY.matcher(property).matches() ? Optional.of(property) : Optional.empty();
    }
}
