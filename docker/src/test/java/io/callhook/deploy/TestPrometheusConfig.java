package io.callhook.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployment's {@code prometheus.yml} as a test runs it: its targets moved to the loopback
 * ports of the services under test, scraped and evaluated every second, with the rule files the
 * test gives (the deployment's own, or a copy with time compressed). A target the test does not
 * know fails, so that a new one is not left out.
 */
final class TestPrometheusConfig {

    private static final Logger LOG = LoggerFactory.getLogger(TestPrometheusConfig.class);

    private TestPrometheusConfig() {
    }

    /**
     * @param opsPorts       the ops port of each service, by its compose name (its scrape target's host)
     * @param prometheusPort where this Prometheus listens ("localhost" targets are Prometheus itself)
     * @param ruleFiles      replace prometheus.yml's {@code rule_files}, which are relative to the deployment's folder
     */
    static Path write(Map<String, Integer> opsPorts, int prometheusPort, List<Path> ruleFiles, Path dir) throws IOException {
        YAMLMapper yaml = new YAMLMapper();
        ObjectNode config = (ObjectNode) yaml.readTree(DeployFiles.prometheusConfig().toFile());
        ObjectNode global = (ObjectNode) config.path("global");
        global.put("scrape_interval", "1s").put("scrape_timeout", "1s").put("evaluation_interval", "1s");
        Map<String, String> moved = new LinkedHashMap<>();
        for (JsonNode job : config.path("scrape_configs")) {
            for (JsonNode staticConfig : job.path("static_configs")) {
                ArrayNode targets = (ArrayNode) staticConfig.path("targets");
                for (int i = 0; i < targets.size(); i++) {
                    String target = targets.get(i).asText();
                    String host = target.substring(0, target.lastIndexOf(':'));
                    // "localhost" is Prometheus scraping itself, in its container as here.
                    Integer port = host.equals("localhost") ? prometheusPort : opsPorts.get(host);
                    if (port == null) {
                        throw new IllegalArgumentException("no service of this test behind scrape target " + target);
                    }
                    String local = "127.0.0.1:" + port;
                    targets.set(i, local);
                    moved.put(target, local);
                }
            }
        }
        ArrayNode rules = config.putArray("rule_files");
        ruleFiles.forEach(file -> rules.add(file.toAbsolutePath().toString()));
        Path file = dir.resolve("prometheus.yml");
        yaml.writeValue(file.toFile(), config);
        LOG.info("Scraping {} every second, rules {}", moved, ruleFiles);
        return file;
    }
}
