package io.callhook.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a service's config in layers, each overriding the one before: the keys' defaults, then
 * the optional properties file ({@code --config <file>} or env {@code CALLHOOK_CONFIG}), then the
 * environment ({@code CALLHOOK_OPS_PORT} for {@code callhook.ops.port}; only declared keys are
 * read). Kafka client properties pass through as {@code kafka.*} in the file and
 * {@code CALLHOOK_KAFKA__*} in the environment.
 *
 * <p>Every value is validated here. Whatever is wrong, from a typo'd key in the file to a port
 * that is not a number, is collected and thrown as one {@link ConfigException}. A valid config
 * is logged at INFO, one line per key, secrets masked.
 */
public final class ConfigLoader {

    private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);
    private static final String ENV_PREFIX = "CALLHOOK_";
    private static final String CALLHOOK_PREFIX = "callhook.";

    private ConfigLoader() {
    }

    /** Loads from the process's real environment. */
    public static Config loadFromSystem(List<ConfigKey<?>> keys, String[] args) {
        return load(keys, args, System.getenv());
    }

    /** A service's loaded config and the typed settings it parsed from it. */
    public record Loaded<T>(Config config, T settings) {
    }

    /**
     * For a service's {@code main}: loads from the process's environment and parses with
     * {@code parse}; when either fails, logs what is wrong (naming the keys) and exits with
     * status 2, so a bad config never starts half a service.
     */
    public static <T> Loaded<T> loadOrExit(List<ConfigKey<?>> keys, String[] args, Function<Config, T> parse) {
        try {
            Config config = loadFromSystem(keys, args);
            return new Loaded<>(config, parse.apply(config));
        } catch (ConfigException | IllegalArgumentException e) {
            log.error("Invalid configuration, not starting: {}", e.getMessage());
            System.exit(2);
            throw new IllegalStateException("unreachable: exited", e);
        }
    }

    /**
     * Loads and validates.
     *
     * @param keys every key the service reads
     * @param args the command line; only {@code --config <file>} is looked at, the rest is left to the service
     * @param env  the environment variables
     * @throws ConfigException          listing every problem, if the config is invalid
     * @throws IllegalArgumentException if two keys share a name or an environment variable (a bug, not config)
     */
    public static Config load(List<ConfigKey<?>> keys, String[] args, Map<String, String> env) {
        Map<String, ConfigKey<?>> declared = declared(keys);
        List<String> problems = new ArrayList<>();
        Map<String, Config.Passthrough> kafka = new TreeMap<>();
        Map<String, String> fileValues = new HashMap<>();
        Optional<String> file = ConfigFile.locate(args, env, problems);
        file.ifPresent(path -> splitFile(path, ConfigFile.read(path, problems), declared, fileValues, kafka, problems));
        kafkaFromEnv(env, kafka, problems);

        Map<String, Config.Setting> settings = new LinkedHashMap<>();
        for (ConfigKey<?> key : declared.values()) {
            Config.Setting setting = resolve(key, fileValues.get(key.name()), file.orElse(null), env, problems);
            if (setting != null) {
                settings.put(key.name(), setting);
            }
        }
        warnNearMisses(env, declared);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        Config config = new Config(settings, kafka);
        file.ifPresent(path -> log.info("config file {}", path));
        config.describe().forEach(line -> log.info("config {}", line));
        return config;
    }

    private static Map<String, ConfigKey<?>> declared(List<ConfigKey<?>> keys) {
        Map<String, ConfigKey<?>> byName = new LinkedHashMap<>();
        Map<String, String> byEnv = new HashMap<>();
        for (ConfigKey<?> key : keys) {
            ConfigKey<?> earlier = byName.putIfAbsent(key.name(), key);
            if (earlier != null && earlier != key) {
                throw new IllegalArgumentException("two different config keys are named " + key.name());
            }
            String clash = byEnv.putIfAbsent(key.envName(), key.name());
            if (clash != null && !clash.equals(key.name())) {
                throw new IllegalArgumentException("config keys " + clash + " and " + key.name()
                        + " both map to env " + key.envName());
            }
        }
        return byName;
    }

    private static void splitFile(String path, Map<String, String> entries, Map<String, ConfigKey<?>> declared,
                                  Map<String, String> fileValues, Map<String, Config.Passthrough> kafka,
                                  List<String> problems) {
        entries.forEach((key, value) -> {
            if (declared.containsKey(key)) {
                fileValues.put(key, value);
            } else if (key.startsWith(KafkaPassthrough.FILE_PREFIX)) {
                KafkaPassthrough.fromFileKey(key).ifPresentOrElse(
                        property -> kafka.put(property, new Config.Passthrough(value.strip(), Origin.file(path))),
                        () -> problems.add("config file " + path + ": '" + key + "' does not name a Kafka client property"
                                + " (expected kafka. followed by lower-case dotted words, e.g. kafka.security.protocol)"));
            } else {
                problems.add(unknownFileKey(path, key, declared.keySet()));
            }
        });
    }

    private static String unknownFileKey(String path, String key, Set<String> declared) {
        if (!key.startsWith(CALLHOOK_PREFIX)) {
            // Refused rather than ignored: a bare "security.protocol" is most likely a Kafka
            // setting missing its "kafka." prefix, and silently dropping it would hide that.
            return "config file " + path + ": unknown key " + key
                    + " (this service reads only its callhook.* keys and kafka.* client properties)";
        }
        return "config file " + path + ": unknown key " + key
                + Suggestions.closest(key, declared).map(s -> " (did you mean " + s + "?)").orElse("");
    }

    private static void kafkaFromEnv(Map<String, String> env, Map<String, Config.Passthrough> kafka,
                                     List<String> problems) {
        new TreeMap<>(env).forEach((variable, value) -> {
            if (variable.startsWith(KafkaPassthrough.ENV_PREFIX)) {
                KafkaPassthrough.fromEnvName(variable).ifPresentOrElse(
                        property -> kafka.put(property, new Config.Passthrough(value.strip(), Origin.env(variable))),
                        () -> problems.add("env " + variable + " does not name a Kafka client property (expected "
                                + KafkaPassthrough.ENV_PREFIX + " followed by words joined by single '_',"
                                + " e.g. CALLHOOK_KAFKA__SECURITY_PROTOCOL)"));
            }
        });
    }

    /** The key's effective setting; null (with a problem added) when it is missing or invalid. */
    private static Config.Setting resolve(ConfigKey<?> key, String fileValue, String file, Map<String, String> env,
                                          List<String> problems) {
        String raw;
        Origin origin;
        if (env.containsKey(key.envName())) {
            raw = env.get(key.envName());
            origin = Origin.env(key.envName());
        } else if (fileValue != null) {
            raw = fileValue;
            origin = Origin.file(file);
        } else if (key.defaultValue().isPresent()) {
            raw = key.defaultValue().get();
            origin = Origin.DEFAULT;
        } else if (key.isRequired()) {
            problems.add(key.name() + " is required: set it in the config file or env " + key.envName()
                    + " (" + key.doc() + ")");
            return null;
        } else {
            return new Config.Setting(key, null, null, Origin.DEFAULT);
        }
        raw = raw.strip();
        Parsed<?> parsed = key.parse(raw);
        if (parsed instanceof Parsed.Invalid<?> invalid) {
            String shown = key.isSecret() ? Secrets.mask(raw) : raw;
            problems.add(key.name() + " = '" + shown + "' " + origin.inError() + " " + invalid.problem());
            return null;
        }
        return new Config.Setting(key, raw, ((Parsed.Ok<?>) parsed).value(), origin);
    }

    /** A CALLHOOK_* variable one or two letters off a declared key's is almost surely a typo. */
    private static void warnNearMisses(Map<String, String> env, Map<String, ConfigKey<?>> declared) {
        List<String> envNames = declared.values().stream().map(ConfigKey::envName).toList();
        new TreeMap<>(env).keySet().stream()
                .filter(v -> v.startsWith(ENV_PREFIX) && !v.startsWith(KafkaPassthrough.ENV_PREFIX))
                .filter(v -> !v.equals(ConfigFile.ENV) && !envNames.contains(v))
                .forEach(v -> Suggestions.closest(v, envNames).filter(s -> Suggestions.distance(v, s) <= 2)
                        .ifPresent(s -> log.warn("env {} is not read by this service; did you mean {}?", v, s)));
    }
}
