package io.callhook.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Dockerfile read as far as the tests need: its instructions in order (continuation lines
 * joined, comments dropped), the variables ENV sets, and the exec form of HEALTHCHECK and
 * ENTRYPOINT.
 */
record Dockerfile(Path file, List<Instruction> instructions) {

    /** One instruction: its keyword in upper case and the rest of its (joined) line. */
    record Instruction(String keyword, String arguments) {
    }

    static Dockerfile read(Path file) throws IOException {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : Files.readAllLines(file)) {
            String stripped = line.strip();
            if (stripped.startsWith("#") || (stripped.isEmpty() && pending.isEmpty())) {
                continue;
            }
            if (stripped.endsWith("\\")) {
                pending.append(stripped, 0, stripped.length() - 1).append(' ');
                continue;
            }
            pending.append(stripped);
            String joined = pending.toString().strip();
            pending.setLength(0);
            if (joined.isEmpty()) {
                continue;
            }
            int space = joined.indexOf(' ');
            instructions.add(new Instruction(joined.substring(0, space).toUpperCase(java.util.Locale.ROOT),
                    joined.substring(space + 1).strip()));
        }
        return new Dockerfile(file, instructions);
    }

    List<String> arguments(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
    }

    /** The last instruction of that keyword, which is the one that counts. */
    String last(String keyword) {
        List<String> all = arguments(keyword);
        if (all.isEmpty()) {
            throw new AssertionError(file + " has no " + keyword);
        }
        return all.get(all.size() - 1);
    }

    /** Variables set by ENV instructions ({@code K=V} pairs, values optionally double-quoted). */
    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String arguments : arguments("ENV")) {
            int i = 0;
            while (i < arguments.length()) {
                while (i < arguments.length() && arguments.charAt(i) == ' ') {
                    i++;
                }
                int equals = arguments.indexOf('=', i);
                if (equals < 0) {
                    throw new AssertionError(file + ": ENV " + arguments + " is not in the K=V form");
                }
                String key = arguments.substring(i, equals);
                StringBuilder value = new StringBuilder();
                i = equals + 1;
                boolean quoted = false;
                for (; i < arguments.length(); i++) {
                    char c = arguments.charAt(i);
                    if (c == '"') {
                        quoted = !quoted;
                    } else if (c == ' ' && !quoted) {
                        break;
                    } else {
                        value.append(c);
                    }
                }
                env.put(key, value.toString());
            }
        }
        return env;
    }

    /** HEALTHCHECK's command in exec form: the JSON array after CMD. */
    List<String> healthcheckCommand() throws IOException {
        String arguments = last("HEALTHCHECK");
        int cmd = arguments.indexOf("CMD [");
        if (cmd < 0) {
            throw new AssertionError(file + ": HEALTHCHECK should use the exec form, CMD [\"...\"]: " + arguments);
        }
        return new ObjectMapper().readValue(arguments.substring(cmd + 4), new TypeReference<List<String>>() { });
    }

    /** HEALTHCHECK's options, e.g. {@code interval -> 10s}. */
    Map<String, String> healthcheckOptions() {
        String arguments = last("HEALTHCHECK");
        Map<String, String> options = new LinkedHashMap<>();
        for (String word : arguments.substring(0, arguments.indexOf("CMD")).trim().split("\\s+")) {
            if (word.startsWith("--")) {
                String[] pair = word.substring(2).split("=", 2);
                options.put(pair[0], pair.length > 1 ? pair[1] : "");
            }
        }
        return options;
    }

    List<String> entrypoint() throws IOException {
        return new ObjectMapper().readValue(last("ENTRYPOINT"), new TypeReference<List<String>>() { });
    }
}
