package io.callhook.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callhook.launch.RegistryProcess;
import io.callhook.service.kafka.TopicProvisioner.TopicSpec;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import io.callhook.topic.TopicNames;
import io.callhook.topic.Topics;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/**
 * The input contracts are in the registry as soon as any one service has started: against a
 * registry of its own that nothing else wrote to, each service started alone registers the value
 * schemas of calls.events, visits and webhooks.subscriptions under their TopicNameStrategy
 * subjects, whole (a Confluent client's "latest" gets a schema without references), and keeps
 * the topics that outside consumers read in gzip, including one an earlier version created
 * without it.
 */
@RealInfra
class InputContractsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private enum Service { ENRICHER, DISPATCHER, STORE }

    @Test
    void eachServiceAloneRegistersEveryInputContractAndKeepsTopicsReadOutsideInGzip(Infra infra) throws Exception {
        Path logs = Files.createDirectories(Path.of("target", "it-logs"));
        try (RegistryProcess registry = RegistryProcess.start(null, logs.resolve("fresh-registry.log"));
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()))) {
            String ccompat = registry.baseUrl() + "/apis/ccompat/v7";
            assertThat(subjects(ccompat)).as("a fresh registry").isEmpty();
            for (Service service : Service.values()) {
                // The enricher runs on the default topic names: its subjects are the ones producers use.
                TopicNames names = service == Service.ENRICHER ? TopicNames.DEFAULTS
                        : TopicNames.DEFAULTS.withPrefix("contracts-" + service.name().toLowerCase() + ".");
                if (service == Service.DISPATCHER) {
                    // As an earlier version created it: no compression set.
                    admin.createTopics(List.of(new NewTopic(names.attempts(), Optional.of(2), Optional.empty()))).all().get();
                }
                start(service, InProcessServices.environment(infra.bootstrapServers(), registry.baseUrl(), names));

                List<String> expected = Topics.inputSchemas(names).keySet().stream().map(topic -> topic + "-value").toList();
                assertThat(subjects(ccompat)).as("subjects after the %s started alone", service).containsAll(expected);
                for (Map.Entry<String, Schema> input : Topics.inputSchemas(names).entrySet()) {
                    JsonNode latest = get(ccompat + "/subjects/" + URLEncoder.encode(input.getKey() + "-value",
                            StandardCharsets.UTF_8) + "/versions/latest");
                    assertThat(latest.path("references").size()).as("references of %s", input.getKey()).isZero();
                    assertThat(new Schema.Parser().parse(latest.get("schema").asText())).isEqualTo(input.getValue());
                }
                for (String topic : readOutside(service, names)) {
                    assertThat(compression(admin, topic)).as("compression.type of %s", topic).isEqualTo(TopicSpec.OUTSIDE_COMPRESSION);
                }
            }
            assertThat(subjects(ccompat)).contains("calls.events-value", "visits-value", "webhooks.subscriptions-value");
        }
    }

    private static void start(Service service, Map<String, String> env) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            switch (service) {
                case ENRICHER -> InProcessServices.enricher(env, "contracts-enricher").close();
                case DISPATCHER -> InProcessServices.dispatcher(env, "contracts-dispatcher", vertx).close();
                case STORE -> InProcessServices.store(env, "contracts-store", vertx).close();
            }
        } finally {
            vertx.close().await();
        }
    }

    /** The topics outside consumers read that this service creates. */
    private static List<String> readOutside(Service service, TopicNames names) {
        List<String> topics = new ArrayList<>(List.of(names.deadLetters(), names.subscriptions()));
        if (service != Service.ENRICHER) {
            topics.add(names.attempts());
        }
        return topics;
    }

    private static String compression(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get().get(resource).get(TopicConfig.COMPRESSION_TYPE_CONFIG).value();
    }

    private static List<String> subjects(String ccompat) throws Exception {
        List<String> subjects = new ArrayList<>();
        get(ccompat + "/subjects").forEach(subject -> subjects.add(subject.asText()));
        return subjects;
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", url, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
