package io.callhook.service;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The validated, effective config of a service, made by {@link ConfigLoader}. Typed values come
 * from {@link #get}; Kafka client properties set by the operator from {@link #kafkaOverrides()}.
 * Values of secret keys (and Kafka properties named like secrets) are masked in
 * {@link #asMap()}, {@link #toString()} and the start log.
 */
public final class Config {

    /** One declared key's effective value; {@code raw} and {@code value} are null for an unset optional key. */
    record Setting(ConfigKey<?> key, String raw, Object value, Origin origin) {
    }

    /** One Kafka passthrough property with where it came from. */
    record Passthrough(String value, Origin origin) {
    }

    private final Map<String, Setting> settings;
    private final SortedMap<String, Passthrough> kafka;

    Config(Map<String, Setting> settings, Map<String, Passthrough> kafka) {
        this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        this.kafka = Collections.unmodifiableSortedMap(new TreeMap<>(kafka));
    }

    /**
     * The value of a key.
     *
     * @throws IllegalArgumentException if the key was not among those loaded
     * @throws NoSuchElementException   if the key is optional and not set (use {@link #find})
     */
    public <T> T get(ConfigKey<T> key) {
        return find(key).orElseThrow(() -> new NoSuchElementException(
                key.name() + " is optional and not set: read it with find()"));
    }

    /** The value of a key, empty when it is optional and not set. */
    public <T> Optional<T> find(ConfigKey<T> key) {
        Setting setting = settings.get(key.name());
        // Identity, not the name: another key object of the same name could parse to another type.
        if (setting == null || setting.key() != key) {
            throw new IllegalArgumentException(key.name() + " is not one of the keys this config was loaded with"
                    + (setting == null ? "" : " (a different ConfigKey object of that name was)"));
        }
        @SuppressWarnings("unchecked") // the setting was parsed by this very key
        T value = (T) setting.value();
        return Optional.ofNullable(value);
    }

    /**
     * Kafka client properties set through {@code kafka.*} in the file or {@code CALLHOOK_KAFKA__*}
     * in the environment, prefix stripped (e.g. {@code security.protocol}), unmasked: meant to be
     * put into the client's properties, after the service's own.
     */
    public Map<String, String> kafkaOverrides() {
        Map<String, String> overrides = new TreeMap<>();
        kafka.forEach((property, passthrough) -> overrides.put(property, passthrough.value()));
        return Collections.unmodifiableMap(overrides);
    }

    /**
     * Every effective value as text, keyed by key name, with the Kafka overrides under their
     * {@code kafka.} names; secrets masked; unset optional keys left out.
     */
    public SortedMap<String, String> asMap() {
        SortedMap<String, String> map = new TreeMap<>();
        settings.values().stream().filter(s -> s.raw() != null)
                .forEach(s -> map.put(s.key().name(), shown(s)));
        kafka.forEach((property, passthrough) -> map.put(KafkaPassthrough.FILE_PREFIX + property, shown(property, passthrough)));
        return Collections.unmodifiableSortedMap(map);
    }

    /** One line per key, {@code name = value (origin)}, secrets masked: what the start log shows. */
    List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (Setting s : settings.values()) {
            lines.add(s.raw() == null
                    ? s.key().name() + " is not set (optional)"
                    : s.key().name() + " = " + shown(s) + " (" + s.origin().description() + ")");
        }
        kafka.forEach((property, passthrough) -> lines.add(KafkaPassthrough.FILE_PREFIX + property + " = "
                + shown(property, passthrough) + " (" + passthrough.origin().description() + ")"));
        return lines;
    }

    @Override
    public String toString() {
        return "Config" + asMap();
    }

    private static String shown(Setting setting) {
        return setting.key().isSecret() ? Secrets.mask(setting.raw()) : setting.raw();
    }

    private static String shown(String property, Passthrough passthrough) {
        return Secrets.isSecretKafkaProperty(property) ? Secrets.mask(passthrough.value()) : passthrough.value();
    }
}
