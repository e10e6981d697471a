package io.callhook.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.callhook.dispatcher.app.DispatcherConfig;
import io.callhook.enricher.app.EnricherConfig;
import io.callhook.service.AllowedAddresses;
import io.callhook.service.Config;
import io.callhook.service.ConfigKey;
import io.callhook.service.ConfigLoader;
import io.callhook.service.OpsServer;
import io.callhook.service.kafka.KafkaSettings;
import io.callhook.store.app.StoreConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment files, checked without a Docker engine: compose.yaml as Docker Compose resolves
 * it, the Dockerfiles, each container's configuration loaded by the service's own config code,
 * Prometheus' config by promtool, Grafana's provisioning and the dashboard. Whether the
 * dashboard's queries find data is {@link DashboardQueriesIT}'s part.
 */
class DeploymentFilesTest {

    /** A service built from this repository: its compose name, config keys and loaded ops port. */
    private record CallhookService(String name, List<ConfigKey<?>> keys, Function<Config, Integer> opsPort) {
        Path dockerfile() {
            return DeployFiles.dir().resolve(name).resolve("Dockerfile");
        }
    }

    private static final List<CallhookService> SERVICES = List.of(
            new CallhookService("enricher-stream", EnricherConfig.keys(), c -> EnricherConfig.from(c).opsPort()),
            new CallhookService("dispatcher-worker", DispatcherConfig.keys(), c -> DispatcherConfig.from(c).opsPort()),
            new CallhookService("subscription-store", StoreConfig.keys(), c -> StoreConfig.from(c).opsPort()));

    /** A version in an image tag: digits and dots, e.g. 4.1.1, v3.5.0, 2.4.2.Final, 17.0.16_8-jre-noble. */
    private static final Pattern VERSION_TAG = Pattern.compile(".+:v?\\d+\\.\\d+(\\.\\d+)?[^:]*$");

    private static JsonNode compose;

    @BeforeAll
    static void resolveCompose(@TempDir Path temp) throws Exception {
        compose = Compose.resolved(temp);
    }

    @Test
    void composeHasTheWholeDeployment() {
        assertThat(names(compose.path("services"))).containsExactlyInAnyOrder("kafka", "registry-db", "registry",
                "enricher-stream", "dispatcher-worker", "subscription-store", "prometheus", "grafana");
    }

    @Test
    void composeRefusesToRunWithoutTheSecrets() throws Exception {
        Tools.Run run = Compose.config(DeployFiles.envExample());
        assertThat(run.succeeded()).as("config with .env.example as committed (secrets empty) must fail: %s", run.describe())
                .isFalse();
        assertThat(run.errors() + run.output()).contains("docker/.env");
    }

    @Test
    void everyImageIsPinnedToAVersion() {
        Map<String, String> images = new LinkedHashMap<>();
        compose.path("services").properties().forEach(service -> {
            JsonNode definition = service.getValue();
            String image = definition.path("image").asText();
            if (definition.has("build")) {
                assertThat(image).as("image name of %s, built here", service.getKey()).startsWith("callhook/");
            } else {
                assertThat(image).as("image of %s", service.getKey()).matches(VERSION_TAG);
                images.put(service.getKey(), image);
            }
        });
        assertThat(images).containsEntry("registry",
                "apicurio/apicurio-registry-sql:" + System.getProperty("apicurio.registry.version", "2.4.2.Final"));
        assertThat(images.get("kafka")).startsWith("apache/kafka:4.");
    }

    @Test
    void everyServiceIsHealthCheckedAndDependenciesWaitForHealth() throws Exception {
        Set<String> checked = new HashSet<>();
        for (Map.Entry<String, JsonNode> service : compose.path("services").properties()) {
            if (service.getValue().has("healthcheck")) {
                checked.add(service.getKey());
            } else if (service.getValue().has("build")) {
                Dockerfile dockerfile = Dockerfile.read(DeployFiles.dir().resolve(service.getKey()).resolve("Dockerfile"));
                assertThat(dockerfile.arguments("HEALTHCHECK")).as("HEALTHCHECK of %s", dockerfile.file()).isNotEmpty();
                checked.add(service.getKey());
            }
        }
        assertThat(checked).as("services with a health check").containsExactlyInAnyOrderElementsOf(names(compose.path("services")));
        compose.path("services").properties().forEach(service -> service.getValue().path("depends_on").properties()
                .forEach(dependency -> assertThat(dependency.getValue().path("condition").asText())
                        .as("%s waits for %s", service.getKey(), dependency.getKey()).isEqualTo("service_healthy")));
        for (CallhookService service : SERVICES) {
            assertThat(names(compose.path("services").path(service.name()).path("depends_on")))
                    .as("%s starts after", service.name()).contains("kafka", "registry");
        }
    }

    @Test
    void stateLivesInNamedVolumes() {
        Set<String> declared = names(compose.path("volumes"));
        Map<String, List<String>> namedByService = new LinkedHashMap<>();
        compose.path("services").properties().forEach(service -> {
            for (JsonNode volume : service.getValue().path("volumes")) {
                String source = volume.isTextual() ? volume.asText().split(":")[0] : volume.path("source").asText();
                if (!source.startsWith("/") && !source.startsWith(".")) {
                    assertThat(declared).as("volume %s of %s", source, service.getKey()).contains(source);
                    namedByService.computeIfAbsent(service.getKey(), k -> new ArrayList<>()).add(source);
                }
            }
        });
        assertThat(namedByService).containsOnlyKeys("kafka", "registry-db", "enricher-stream", "subscription-store",
                "prometheus", "grafana");
        assertThat(namedByService.values().stream().flatMap(List::stream)).doesNotHaveDuplicates();
    }

    @Test
    void dockerfilesRunTheServiceJarAsAnUnprivilegedUserAndProbeReadiness() throws Exception {
        for (CallhookService service : SERVICES) {
            Dockerfile dockerfile = Dockerfile.read(service.dockerfile());
            String what = service.dockerfile().toString();
            assertThat(dockerfile.arguments("FROM")).as("base image of %s", what).hasSize(1);
            assertThat(dockerfile.last("FROM")).as("base image of %s", what)
                    .matches("eclipse-temurin:17\\.\\d+\\.\\d+[._\\d]*-jre(-\\w+)?");
            assertThat(dockerfile.arguments("COPY")).as("COPY of %s", what)
                    .contains("target/lib/ lib/", "target/" + service.name() + ".jar " + service.name() + ".jar");
            assertThat(dockerfile.last("WORKDIR")).isEqualTo("/opt/callhook");
            assertThat(dockerfile.entrypoint()).as("ENTRYPOINT of %s", what)
                    .containsExactly("java", "-jar", "/opt/callhook/" + service.name() + ".jar");
            String user = dockerfile.last("USER");
            assertThat(user).as("USER of %s", what).doesNotStartWith("root").doesNotStartWith("0");
            assertThat(dockerfile.healthcheckCommand()).as("HEALTHCHECK of %s", what).last().asString()
                    .contains("/health/ready").contains("${CALLHOOK_OPS_PORT}");
            assertThat(dockerfile.healthcheckOptions()).as("HEALTHCHECK options of %s", what)
                    .containsKeys("interval", "timeout", "start-period", "retries");
            Config config = containerConfig(service);
            List<String> exposed = List.of(dockerfile.last("EXPOSE").split("\\s+"));
            assertThat(exposed).as("EXPOSE of %s", what).contains(Integer.toString(service.opsPort().apply(config)));
            if (service.name().equals("subscription-store")) {
                assertThat(exposed).contains(Integer.toString(config.get(StoreConfig.HTTP_PORT)));
            }
        }
    }

    @Test
    void eachContainersConfigurationLoadsWithTheServicesOwnKeys() throws Exception {
        String kafkaListener = compose.path("services").path("kafka").path("environment")
                .path("KAFKA_ADVERTISED_LISTENERS").asText();
        for (CallhookService service : SERVICES) {
            Map<String, String> env = containerEnvironment(service);
            Set<String> known = service.keys().stream().map(ConfigKey::envName).collect(Collectors.toSet());
            assertThat(env.keySet().stream().filter(v -> v.startsWith("CALLHOOK_") && !v.startsWith("CALLHOOK_KAFKA__")))
                    .as("variables of %s that it reads (a typo would be silently ignored)", service.name())
                    .allMatch(known::contains, "a config key of " + service.name());
            Config config = containerConfig(service);
            assertThat(config.get(OpsServer.HOST)).as("%s ops host", service.name()).isEqualTo("0.0.0.0");
            assertThat(config.get(AllowedAddresses.KEY)).as("%s SSRF allowlist", service.name()).isEmpty();
            assertThat(config.get(KafkaSettings.REGISTRY_URL).toString()).isEqualTo("http://registry:8080");
            String bootstrap = KafkaSettings.from(config).bootstrapServers();
            assertThat(kafkaListener).as("Kafka advertises what %s bootstraps from", service.name())
                    .contains("PLAINTEXT://" + bootstrap);
        }
        StoreConfig store = StoreConfig.from(containerConfig(SERVICES.get(2)));
        assertThat(store.httpHost()).isEqualTo("0.0.0.0");
        assertThat(store.advertisedHost()).isEqualTo("subscription-store");
        assertThat(store.tokens().tokenKey()).isPresent();
        assertThat(compose.path("services").path("subscription-store").path("ports").toString())
                .contains(":" + store.httpPort());
    }

    @Test
    void prometheusConfigPassesPromtool() throws Exception {
        Path promtool = Tools.require(Tools.PROMTOOL, "prometheus");
        Tools.Run run = Tools.run(DeployFiles.dir(), null, promtool.toString(), "check", "config",
                DeployFiles.prometheusConfig().toString());
        assertThat(run.succeeded()).as(run.describe()).isTrue();
    }

    @Test
    void prometheusScrapesEveryServicesOpsEndpoint() throws Exception {
        JsonNode config = new YAMLMapper().readTree(DeployFiles.prometheusConfig().toFile());
        Set<String> targets = new TreeSet<>();
        for (JsonNode job : config.path("scrape_configs")) {
            if (job.path("job_name").asText().equals("callhook")) {
                assertThat(job.path("metrics_path").asText("/metrics")).isEqualTo("/metrics");
                job.path("static_configs").forEach(s -> s.path("targets").forEach(t -> targets.add(t.asText())));
            }
        }
        Set<String> expected = new TreeSet<>();
        for (CallhookService service : SERVICES) {
            expected.add(service.name() + ":" + service.opsPort().apply(containerConfig(service)));
        }
        assertThat(targets).isEqualTo(expected);
        JsonNode prometheus = compose.path("services").path("prometheus");
        assertThat(prometheus.path("command").toString()).contains("--config.file=/etc/prometheus/prometheus.yml");
        assertThat(prometheus.path("volumes").toString())
                .contains(DeployFiles.prometheusConfig() + ":/etc/prometheus/prometheus.yml");
    }

    @Test
    void dashboardParsesAndEveryPanelHasAPrometheusQuery() throws Exception {
        Dashboard dashboard = Dashboard.read(DeployFiles.dashboard());
        String datasourceUid = provisionedDatasource().path("uid").asText();
        assertThat(dashboard.json().path("uid").asText()).isNotBlank();
        assertThat(dashboard.panels()).isNotEmpty();
        assertThat(dashboard.panels().stream().map(Dashboard.Panel::id)).doesNotHaveDuplicates();
        assertThat(dashboard.panels().stream().map(Dashboard.Panel::title)).doesNotHaveDuplicates();
        for (Dashboard.Panel panel : dashboard.panels()) {
            String what = "panel '" + panel.title() + "' (" + panel.type() + ")";
            assertThat(panel.queries()).as("%s queries", what).isNotEmpty();
            assertThat(panel.queries().stream().map(Dashboard.Query::refId)).as("%s refIds", what).doesNotHaveDuplicates();
            for (Dashboard.Query query : panel.queries()) {
                assertThat(query.expr()).as("%s query %s", what, query.refId()).isNotBlank();
                JsonNode datasource = query.datasource().isMissingNode() ? panel.datasource() : query.datasource();
                assertThat(datasource.path("type").asText()).as("%s datasource type", what).isEqualTo("prometheus");
                assertThat(datasource.path("uid").asText()).as("%s datasource uid", what).isEqualTo(datasourceUid);
                Dashboard.resolve(query.expr()); // fails on a variable the tests cannot fill in
            }
        }
        String queries = dashboard.panels().stream().flatMap(p -> p.queries().stream()).map(Dashboard.Query::expr)
                .collect(Collectors.joining("\n"));
        assertThat(queries).as("what the dashboard must show").contains(
                "callhook_dispatcher_deliveries_total{outcome=\"delivered\",test=\"false\"}",
                "callhook_dispatcher_deliveries_total{outcome=\"retrying\",test=\"false\"}",
                "callhook_dispatcher_deliveries_total{outcome=\"dead_lettered\",test=\"false\"}",
                "callhook_dispatcher_deliveries_total{outcome=\"disabled\",test=\"false\"}",
                "callhook_dispatcher_deliveries_total{outcome=\"dropped\",test=\"false\"}",
                "callhook_dispatcher_deliveries_total{test=\"true\"}",
                "callhook_dispatcher_dropped_total",
                "callhook_enricher_dead_letters_total",
                "by (product, status_class)",
                "callhook_dispatcher_attempt_latency_seconds_bucket",
                "callhook_dispatcher_end_to_end_latency_seconds_bucket",
                "histogram_quantile(0.5,", "histogram_quantile(0.99,",
                "callhook_dispatcher_in_flight",
                "kafka_consumer_fetch_manager_records_lag_max",
                "callhook_dispatcher_circuit_breakers{state=\"open\"}",
                "callhook_enricher_webhooks_total",
                "callhook_dispatcher_dead_letters_total");
        Matcher deliveries = Pattern.compile("callhook_dispatcher_deliveries_total(\\{[^}]*})?").matcher(queries);
        while (deliveries.find()) {
            assertThat(deliveries.group()).as("a query of deliveries says whether test webhooks are in").contains("test=");
        }
    }

    @Test
    void alertRulesPassPromtoolAndTheirUnitTests() throws Exception {
        Path promtool = Tools.require(Tools.PROMTOOL, "prometheus");
        Tools.Run check = Tools.run(DeployFiles.dir(), null, promtool.toString(), "check", "rules",
                DeployFiles.alertRules().toString());
        assertThat(check.succeeded()).as(check.describe()).isTrue();
        Tools.Run unitTests = Tools.run(DeployFiles.alertRuleTests().getParent(), null, promtool.toString(), "test", "rules",
                DeployFiles.alertRuleTests().getFileName().toString());
        assertThat(unitTests.succeeded()).as(unitTests.describe()).isTrue();
    }

    @Test
    void everyAlertHasASeverityAndADescriptionAndUnitTestsThatFireAndStayQuiet() throws Exception {
        AlertRules rules = AlertRules.read(DeployFiles.alertRules());
        assertThat(rules.names()).as("alerts").isNotEmpty().doesNotHaveDuplicates();
        for (AlertRules.Alert alert : rules.alerts()) {
            assertThat(alert.labels().get("severity")).as("severity of %s", alert.name()).isIn("warning", "critical");
            assertThat(alert.annotations()).as("annotations of %s", alert.name()).containsKeys("summary", "description");
            assertThat(alert.forDuration()).as("for: of %s (a blip must not page)", alert.name()).isNotBlank();
        }
        Set<String> firing = new TreeSet<>();
        Set<String> quiet = new TreeSet<>();
        for (JsonNode test : new YAMLMapper().readTree(DeployFiles.alertRuleTests().toFile()).path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                (check.path("exp_alerts").isEmpty() ? quiet : firing).add(check.path("alertname").asText());
            }
        }
        assertThat(firing).as("alerts with a unit test where they fire").containsAll(rules.names());
        assertThat(quiet).as("alerts with a unit test where they stay quiet").containsAll(rules.names());
    }

    @Test
    void prometheusLoadsTheAlertRulesThatComposeMountsBesideItsConfig() throws Exception {
        JsonNode config = new YAMLMapper().readTree(DeployFiles.prometheusConfig().toFile());
        List<String> ruleFiles = new ArrayList<>();
        config.path("rule_files").forEach(file -> ruleFiles.add(file.asText()));
        assertThat(ruleFiles).containsExactly(DeployFiles.alertRules().getFileName().toString());
        String volumes = compose.path("services").path("prometheus").path("volumes").toString();
        for (String file : ruleFiles) {
            assertThat(volumes).as("compose mounts %s where prometheus.yml looks for it", file)
                    .contains(DeployFiles.prometheusConfig().resolveSibling(file) + ":/etc/prometheus/" + file);
        }
    }

    @Test
    void grafanaIsProvisionedWithTheDatasourceAndTheDashboard() throws Exception {
        JsonNode grafana = compose.path("services").path("grafana");
        String volumes = grafana.path("volumes").toString();
        assertThat(volumes).contains(DeployFiles.dir().resolve("grafana/provisioning") + ":/etc/grafana/provisioning");
        JsonNode datasource = provisionedDatasource();
        assertThat(datasource.path("url").asText()).isEqualTo("http://prometheus:9090");
        assertThat(names(compose.path("services"))).contains("prometheus");

        JsonNode providers = new YAMLMapper().readTree(DeployFiles.dashboardProviders().toFile()).path("providers");
        assertThat(providers).hasSize(1);
        String path = providers.get(0).path("options").path("path").asText();
        assertThat(volumes).as("the provider's folder is the dashboards folder")
                .contains(DeployFiles.dashboard().getParent() + ":" + path);
        assertThat(grafana.path("environment").path("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH").asText())
                .isEqualTo(path + "/" + DeployFiles.dashboard().getFileName());
    }

    private static JsonNode provisionedDatasource() throws Exception {
        JsonNode datasources = new YAMLMapper().readTree(DeployFiles.datasources().toFile()).path("datasources");
        assertThat(datasources).hasSize(1);
        assertThat(datasources.get(0).path("type").asText()).isEqualTo("prometheus");
        return datasources.get(0);
    }

    /** The container's environment: the Dockerfile's ENV, then compose's environment over it. */
    private static Map<String, String> containerEnvironment(CallhookService service) throws Exception {
        Map<String, String> env = new LinkedHashMap<>(Dockerfile.read(service.dockerfile()).env());
        compose.path("services").path(service.name()).path("environment").properties()
                .forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        return env;
    }

    /** The service's configuration in its container, loaded and validated by its own code. */
    private static Config containerConfig(CallhookService service) throws Exception {
        return ConfigLoader.load(service.keys(), new String[0], containerEnvironment(service));
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
