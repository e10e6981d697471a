package io.callhook.service;

import java.util.List;
import java.util.Locale;

/** Masking of secret values wherever config is shown: logs, errors, {@link Config#asMap()}. */
final class Secrets {

    static final String MASK = "******";

    // Kafka passthrough properties are not declared, so whether one is secret is judged by its
    // name: these fragments cover Kafka's PASSWORD-typed client settings (ssl.*.password,
    // sasl.jaas.config, ssl.keystore.key, sasl.oauthbearer...client.secret) and similar.
    private static final List<String> SECRET_FRAGMENTS =
            List.of("password", "secret", "jaas", "credential", "token", "keystore.key");

    private Secrets() {
    }

    /** The mask for a secret; an empty value stays empty, since showing it is unset leaks nothing. */
    static String mask(String value) {
        return value.isEmpty() ? value : MASK;
    }

    static boolean isSecretKafkaProperty(String property) {
        String lower = property.toLowerCase(Locale.ROOT);
        return SECRET_FRAGMENTS.stream().anyMatch(lower::contains);
    }
}
