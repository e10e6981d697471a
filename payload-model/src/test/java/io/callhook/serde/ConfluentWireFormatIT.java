package io.callhook.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callhook.body.SampleCalls;
import io.callhook.model.CallEvent;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Our serde against the real broker and registry: records come back equal, are framed as
 * Confluent's (0 + contentId + Avro binary), and a decoder that knows nothing of Apicurio's
 * serdes (HTTP to the Confluent-compatible API + plain Avro) reads them.
 */
@RealInfra
class ConfluentWireFormatIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void callEventsRoundTripInConfluentFramingWithTheContentId(Infra infra) throws Exception {
        String topic = "wire.calls.events";
        createTopic(infra, topic);
        // Same content under two subjects: two globalIds for one contentId, so from here on the
        // registry's globalId and contentId counters differ and a serde framing the wrong id fails.
        String other = "{\"type\":\"record\",\"name\":\"Other\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]}";
        registerViaCcompat(infra, "unrelated-a-value", other);
        registerViaCcompat(infra, "unrelated-b-value", other);

        List<CallEvent> sent = List.of(SampleCalls.startedCall(1001), SampleCalls.startedCall(1002),
                CallEvent.newBuilder(SampleCalls.startedCall(1003)).setWidgetName("Виджет на сайте")
                        .setDurationSec(null).setGaClientId(null).build());
        Serde<CallEvent> serde = new AvroSerdes(new RegistryConfig(infra.registryBaseUrl(), true)).forValue(CallEvent.class);
        try (KafkaProducer<String, CallEvent> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()),
                new StringSerializer(), serde.serializer())) {
            for (CallEvent event : sent) {
                producer.send(new ProducerRecord<>(topic, Long.toString(event.getCallId()), event)).get();
            }
        }

        List<ConsumerRecord<String, byte[]>> raw = consumeAll(infra, topic, new ByteArrayDeserializer(), sent.size());
        ArtifactIds ids = artifactIds(infra, topic + "-value");
        assertThat(ids.globalId()).as("globalId and contentId must differ for this test to mean anything")
                .isNotEqualTo(ids.contentId());

        List<CallEvent> decodedByOurSerde = new ArrayList<>();
        Deserializer<CallEvent> deserializer = serde.deserializer();
        for (ConsumerRecord<String, byte[]> record : raw) {
            byte[] bytes = record.value();
            assertThat(bytes[0]).as("magic byte").isZero();
            int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
            assertThat(id).as("4-byte schema id is the contentId").isEqualTo(ids.contentId());
            assertThat(record.headers().toArray()).as("no Apicurio id headers").isEmpty();
            decodedByOurSerde.add(deserializer.deserialize(topic, bytes));

            Schema writer = new Schema.Parser().parse(schemaById(infra, id));
            byte[] avro = Arrays.copyOfRange(bytes, 5, bytes.length);
            GenericRecord generic = new GenericDatumReader<GenericRecord>(writer)
                    .read(null, DecoderFactory.get().binaryDecoder(avro, null));
            CallEvent specific = new SpecificDatumReader<CallEvent>(writer, CallEvent.getClassSchema())
                    .read(null, DecoderFactory.get().binaryDecoder(avro, null));
            CallEvent expected = sent.get(decodedByOurSerde.size() - 1);
            assertThat(generic.get("callId")).isEqualTo(expected.getCallId());
            assertThat(generic.get("phase").toString()).isEqualTo("STARTED");
            assertThat(generic.get("widgetName").toString()).isEqualTo(expected.getWidgetName());
            assertThat(specific).isEqualTo(expected);
        }
        assertThat(decodedByOurSerde).containsExactlyElementsOf(sent);

        // One subject per topic holding the whole schema: nested named types (enums, Utm, ...)
        // are not split into subjects of their own, so a Confluent client needs no references.
        JsonNode subjects = JSON.readTree(get(infra.ccompatUrl() + "/subjects"));
        assertThat(subjects).extracting(JsonNode::asText).contains(topic + "-value")
                .noneMatch(subject -> subject.startsWith("io.callhook"));
        JsonNode registered = JSON.readTree(get(infra.ccompatUrl() + "/schemas/ids/" + ids.contentId()));
        assertThat(registered.path("references")).isEmpty();
        assertThat(new Schema.Parser().parse(registered.get("schema").asText())).isEqualTo(CallEvent.getClassSchema());
    }

    private String get(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    @Test
    void schemasRegisteredAtStartAreTheOnesSerializersUse(Infra infra) throws Exception {
        String topic = "wire.preregistered";
        createTopic(infra, topic);
        AvroSerdes serdes = new AvroSerdes(new RegistryConfig(infra.registryBaseUrl(), true));
        serdes.registerValueSchemas(Map.of(topic, CallEvent.getClassSchema()));
        serdes.registerValueSchemas(Map.of(topic, CallEvent.getClassSchema()));

        try (KafkaProducer<String, CallEvent> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()),
                new StringSerializer(), serdes.forValue(CallEvent.class).serializer())) {
            producer.send(new ProducerRecord<>(topic, "1", SampleCalls.startedCall(1))).get();
        }

        assertThat(JSON.readTree(get(infra.ccompatUrl() + "/subjects/" + topic + "-value/versions")))
                .as("registering twice and serializing afterwards leave one version").hasSize(1);
        ArtifactIds ids = artifactIds(infra, topic + "-value");
        byte[] bytes = consumeAll(infra, topic, new ByteArrayDeserializer(), 1).get(0).value();
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(ids.contentId());
    }

    @Test
    void apicurioSerdesAndOursReadEachOther(Infra infra) throws Exception {
        String topic = "wire.interop";
        createTopic(infra, topic);
        AvroSerdes ours = new AvroSerdes(new RegistryConfig(infra.registryBaseUrl(), true));
        Map<String, Object> apicurio = new java.util.HashMap<>(ours.apicurioSerdeConfig());

        io.apicurio.registry.serde.avro.AvroKafkaSerializer<CallEvent> theirSerializer =
                new io.apicurio.registry.serde.avro.AvroKafkaSerializer<>();
        theirSerializer.configure(apicurio, false);
        io.apicurio.registry.serde.avro.AvroKafkaDeserializer<CallEvent> theirDeserializer =
                new io.apicurio.registry.serde.avro.AvroKafkaDeserializer<>();
        theirDeserializer.configure(apicurio, false);
        Serde<CallEvent> serde = ours.forValue(CallEvent.class);

        CallEvent event = SampleCalls.startedCall(77);
        byte[] theirs = theirSerializer.serialize(topic, event);
        byte[] mine = serde.serializer().serialize(topic, event);

        assertThat(mine).as("same schema, same id, same bytes").isEqualTo(theirs);
        assertThat(serde.deserializer().deserialize(topic, theirs)).isEqualTo(event);
        assertThat(theirDeserializer.deserialize(topic, mine)).isEqualTo(event);
    }

    private void createTopic(Infra infra, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
    }

    private <V> List<ConsumerRecord<String, V>> consumeAll(Infra infra, String topic, Deserializer<V> values, int count) {
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "wire-" + topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), values)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 20_000;
            while (records.size() < count && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        assertThat(records).hasSize(count);
        return records;
    }

    private void registerViaCcompat(Infra infra, String subject, String schema) throws Exception {
        String body = JSON.writeValueAsString(Map.of("schema", schema));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create(infra.ccompatUrl() + "/subjects/" + subject + "/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    /** The independent decoder's only registry call: id to schema, as a Confluent client does it. */
    private String schemaById(Infra infra, int id) throws Exception {
        return JSON.readTree(get(infra.ccompatUrl() + "/schemas/ids/" + id)).get("schema").asText();
    }

    private ArtifactIds artifactIds(Infra infra, String artifactId) throws Exception {
        JsonNode meta = JSON.readTree(get(infra.registryApiUrl() + "/groups/default/artifacts/" + artifactId + "/meta"));
        return new ArtifactIds(meta.get("globalId").asLong(), meta.get("contentId").asLong());
    }

    private record ArtifactIds(long globalId, long contentId) {
    }
}
