package io.callhook.serde;

import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaSerdeConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro serdes backed by the schema registry, framed in the Confluent wire format: magic byte 0,
 * the schema's 4-byte <em>contentId</em> (the id the registry's Confluent-compatible API serves),
 * then Avro binary. A telephony backend using Confluent's serializers against the registry's
 * {@code /apis/ccompat/v7}, or Apicurio's serdes configured as in {@link #apicurioSerdeConfig()},
 * reads and writes the same bytes.
 *
 * <p>The framing is ours, the registry access Apicurio's client. Apicurio's own serde renders the
 * schema's JSON for every record written to look up its id, and builds a new schema resolver for
 * every record read: measured at about 60 % of the enricher's CPU. Ours does both once per schema.
 */
public final class AvroSerdes implements SerdeFactory {

    private final RegistryConfig registry;
    private final SchemaRegistryClient client;

    public AvroSerdes(RegistryConfig registry) {
        AvroTrust.install();
        this.registry = registry;
        this.client = new SchemaRegistryClient(registry);
    }

    /** A configured serde of a generated Avro class, reading older and newer writers' data into it. */
    @Override
    public <T extends SpecificRecord> Serde<T> forValue(Class<T> type) {
        return create(type, false);
    }


    private <T extends SpecificRecord> Serde<T> create(Class<T> type, boolean isKey) {
        if (isKey) {
            throw new UnsupportedOperationException("Avro keys: our topics are keyed by strings");
        }
        Schema schema = SpecificData.get().getSchema(type);
        return new PreconfiguredSerde<>(type, new ConfluentAvroSerializer<>(client, schema),
                new ConfluentAvroDeserializer<>(client, schema));
    }

    /**
     * Registers, one after the other, the value schema of each topic a service writes, as the
     * serializers would on first use ({@code <topic>-value}, the same content, so they find it).
     * Done at start because serializers on several threads registering the same new schema at
     * once make the registry's storage refuse all but one of them.
     */
    public void registerValueSchemas(Map<String, Schema> schemaByTopic) throws InterruptedException {
        for (Map.Entry<String, Schema> entry : schemaByTopic.entrySet()) {
            try {
                client.register(entry.getKey() + "-value", entry.getValue());
            } catch (RuntimeException e) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("registering the schema of " + entry.getKey());
                }
                throw new IllegalStateException("Could not register the schema of " + entry.getKey() + " at "
                        + registry.url() + " in " + SchemaRegistryClient.REGISTER_ATTEMPTS + " attempts: "
                        + e.getMessage(), e);
            }
        }
    }

    /**
     * How other producers and consumers configure Apicurio's own serdes to write and read what
     * ours do (Confluent framing with the contentId, no id headers). Used by tests that play
     * such a client.
     */
    public Map<String, Object> apicurioSerdeConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(SerdeConfig.REGISTRY_URL, registry.apiUrl());
        config.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, registry.autoRegister());
        config.put(SerdeConfig.ENABLE_HEADERS, false);
        config.put(SerdeConfig.ENABLE_CONFLUENT_ID_HANDLER, true);
        config.put(SerdeConfig.USE_ID, "contentId");
        // Without auto-register the serializer must find the topic's schema already registered.
        config.put(SerdeConfig.FIND_LATEST_ARTIFACT, !registry.autoRegister());
        config.put(AvroKafkaSerdeConfig.USE_SPECIFIC_AVRO_READER, true);
        // Ride out short registry hiccups (e.g. a storage lock timeout when two threads register
        // the same schema) inside the serde before the failure reaches the caller.
        config.put(SerdeConfig.RETRY_COUNT, 6);
        config.put(SerdeConfig.RETRY_BACKOFF_MS, 500L);
        return config;
    }

    /**
     * A serde configured at construction. {@link #configure} is a no-op: a framework calling it
     * again with its own map (lacking the registry settings) must not undo the setup.
     */
    private record PreconfiguredSerde<T>(Class<T> type, Serializer<T> serializer, Deserializer<T> deserializer)
            implements Serde<T> {

        @Override
        public void configure(Map<String, ?> configs, boolean isKey) {
            // Configured at construction.
        }

        @Override
        public void close() {
            serializer.close();
            deserializer.close();
        }

        @Override
        public String toString() {
            return "AvroSerde[" + type.getSimpleName() + "]";
        }
    }
}
