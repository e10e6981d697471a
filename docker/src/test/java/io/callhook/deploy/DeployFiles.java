package io.callhook.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the deployment files are: this module's folder, which is the tests' working directory. */
final class DeployFiles {

    private DeployFiles() {
    }

    /** The {@code docker/} folder. */
    static Path dir() {
        Path here = Path.of("").toAbsolutePath();
        for (Path candidate : new Path[] {here, here.resolve("docker")}) {
            if (Files.isRegularFile(candidate.resolve("compose.yaml"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("docker/compose.yaml not found from " + here
                + ": run the tests from the project root or the docker module");
    }

    static Path compose() {
        return dir().resolve("compose.yaml");
    }

    static Path envExample() {
        return dir().resolve(".env.example");
    }

    static Path prometheusConfig() {
        return dir().resolve("prometheus/prometheus.yml");
    }

    /** The alert rules prometheus.yml loads. */
    static Path alertRules() {
        return dir().resolve("prometheus/alerts.yml");
    }

    /** promtool's unit tests of the alert rules. */
    static Path alertRuleTests() {
        return dir().resolve("prometheus/alerts.test.yml");
    }

    static Path dashboard() {
        return dir().resolve("grafana/dashboards/callhook.json");
    }

    static Path datasources() {
        return dir().resolve("grafana/provisioning/datasources/prometheus.yaml");
    }

    static Path dashboardProviders() {
        return dir().resolve("grafana/provisioning/dashboards/callhook.yaml");
    }
}
