package io.callhook.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a generated Avro class in the Confluent wire format: byte 0, the schema's 4-byte
 * contentId, Avro binary. The id is asked of the registry once per topic; after that a record
 * costs only its encoding. Thread-safe: Kafka Streams shares one instance between its threads.
 */
final class ConfluentAvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    static final byte MAGIC = 0;

    private final SchemaRegistryClient registry;
    private final Schema schema;
    private final SpecificDatumWriter<T> writer;
    private final Map<String, Integer> idByTopic = new ConcurrentHashMap<>();
    private final ThreadLocal<Buffers> buffers = ThreadLocal.withInitial(Buffers::new);

    ConfluentAvroSerializer(SchemaRegistryClient registry, Schema schema) {
        this.registry = registry;
        this.schema = schema;
        this.writer = new SpecificDatumWriter<>(schema);
    }

    @Override
    public byte[] serialize(String topic, T value) {
        if (value == null) {
            return null;
        }
        int id = idByTopic.computeIfAbsent(topic, this::resolveId);
        Buffers local = buffers.get();
        local.out.reset();
        local.out.write(MAGIC);
        local.out.write(id >>> 24);
        local.out.write(id >>> 16);
        local.out.write(id >>> 8);
        local.out.write(id);
        try {
            local.encoder = EncoderFactory.get().directBinaryEncoder(local.out, local.encoder);
            writer.write(value, local.encoder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new SerializationException("Cannot write a " + schema.getName() + " to " + topic + ": " + e.getMessage(), e);
        }
        return local.out.toByteArray();
    }

    private int resolveId(String topic) {
        try {
            return registry.idOf(topic + "-value", schema);
        } catch (RuntimeException e) {
            throw new SerializationException("No schema id for " + topic + "-value from the registry", e);
        }
    }

    /** Per-thread buffers, reused from record to record. */
    private static final class Buffers {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
        BinaryEncoder encoder;
    }
}
