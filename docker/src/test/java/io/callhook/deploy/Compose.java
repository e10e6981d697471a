package io.callhook.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docker/compose.yaml as Docker Compose resolves it: {@code docker-compose config} (Debian's,
 * which validates without a Docker engine) with an env file made from {@code .env.example},
 * every empty secret filled in, and nothing from the developer's environment.
 */
final class Compose {

    private Compose() {
    }

    /** .env.example with each empty {@code KEY=} given a random value, as an operator would. */
    static Path filledEnvFile(Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        SecureRandom random = new SecureRandom();
        for (String line : Files.readAllLines(DeployFiles.envExample())) {
            if (line.matches("[A-Z0-9_]+=")) {
                byte[] secret = new byte[24];
                random.nextBytes(secret);
                line = line + HexFormat.of().formatHex(secret);
            }
            lines.add(line);
        }
        Path file = dir.resolve("filled.env");
        Files.write(file, lines);
        return file;
    }

    /** Runs {@code docker-compose --env-file <envFile> -f compose.yaml config} in a clean environment. */
    static Tools.Run config(Path envFile) throws IOException, InterruptedException {
        Path tool = Tools.require(Tools.DOCKER_COMPOSE, "docker-compose");
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("HOME", System.getProperty("java.io.tmpdir"));
        return Tools.run(DeployFiles.dir(), environment, tool.toString(), "--env-file", envFile.toString(),
                "-f", DeployFiles.compose().toString(), "config");
    }

    /** The resolved file; fails with docker-compose's message when it is invalid. */
    static JsonNode resolved(Path dir) throws IOException, InterruptedException {
        Tools.Run run = config(filledEnvFile(dir));
        if (!run.succeeded()) {
            throw new AssertionError("docker/compose.yaml is invalid: " + run.describe());
        }
        return new YAMLMapper().readTree(run.output());
    }
}
