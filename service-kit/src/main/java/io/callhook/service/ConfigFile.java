package io.callhook.service;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The optional config file: found through {@code --config <file>} (or {@code --config=<file>}),
 * else env {@code CALLHOOK_CONFIG}; Java properties format read as UTF-8.
 */
final class ConfigFile {

    static final String ARG = "--config";
    static final String ENV = "CALLHOOK_CONFIG";

    private ConfigFile() {
    }

    /** The file's path, if one is given; a malformed argument is added to {@code problems}. */
    static Optional<String> locate(String[] args, Map<String, String> env, List<String> problems) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(ARG)) {
                if (i + 1 >= args.length || args[i + 1].isBlank()) {
                    problems.add(ARG + " needs a file path after it");
                    return Optional.empty();
                }
                return Optional.of(args[i + 1]);
            }
            if (args[i].startsWith(ARG + "=")) {
                return Optional.of(args[i].substring(ARG.length() + 1));
            }
        }
        return Optional.ofNullable(env.get(ENV)).filter(path -> !path.isBlank());
    }

    /** The file's entries, sorted by key (so problems come in a stable order); empty after a problem. */
    static Map<String, String> read(String path, List<String> problems) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of(path), StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            problems.add("config file " + path + " does not exist");
            return Map.of();
        } catch (CharacterCodingException e) {
            problems.add("config file " + path + " is not valid UTF-8");
            return Map.of();
        } catch (IOException | IllegalArgumentException e) {
            // IllegalArgumentException: a malformed unicode escape in the file, or an invalid path.
            problems.add("config file " + path + " cannot be read: " + e.getMessage());
            return Map.of();
        }
        Map<String, String> entries = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> entries.put(key, properties.getProperty(key)));
        return entries;
    }
}
