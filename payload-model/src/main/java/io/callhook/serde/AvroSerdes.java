package io.callhook.serde;

import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro serdes backed by the schema registry, framed in the Confluent wire format: magic byte 0,
 * the schema's 4-byte <em>contentId</em> (the id the registry's Confluent-compatible API serves),
 * then Avro binary. A telephony backend using Confluent's serializers against the registry's
 * {@code /apis/ccompat/v7} reads and writes the same bytes.
 *
 * <p>Apicurio's own defaults differ in two ways that would break that: ids in record headers
 * instead of the payload, and (with {@code as-confluent} alone) the globalId instead of the
 * contentId, which only coincide on a fresh registry.
 */
public final class AvroSerdes implements SerdeFactory {

    private final RegistryConfig registry;

    public AvroSerdes(RegistryConfig registry) {
        AvroTrust.install();
        this.registry = registry;
    }

    /** A configured serde of a generated Avro class, reading older and newer writers' data into it. */
    @Override
    public <T extends SpecificRecord> Serde<T> forValue(Class<T> type) {
        return create(type, false);
    }

    /** Same, for record keys (subject {@code <topic>-key}). */
    public <T extends SpecificRecord> Serde<T> forKey(Class<T> type) {
        return create(type, true);
    }

    private <T extends SpecificRecord> Serde<T> create(Class<T> type, boolean isKey) {
        Map<String, Object> config = serdeConfig();
        AvroKafkaSerializer<T> serializer = new AvroKafkaSerializer<>();
        serializer.configure(config, isKey);
        AvroKafkaDeserializer<T> deserializer = new AvroKafkaDeserializer<>();
        deserializer.configure(config, isKey);
        return new PreconfiguredSerde<>(type, serializer, deserializer);
    }

    /** The Apicurio serde properties this project runs with. */
    public Map<String, Object> serdeConfig() {
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
