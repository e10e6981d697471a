package io.callhook.serde;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the Confluent wire format into a generated Avro class, whatever version of the schema
 * the writer used: the writer schema is fetched by its id once, and one reader resolving it
 * against our class's schema is kept per id (building that resolution is the expensive part).
 * Thread-safe: readers are kept per thread, Avro's resolving readers are not meant to be shared.
 */
final class ConfluentAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    private final SchemaRegistryClient registry;
    private final Schema readerSchema;
    private final ThreadLocal<Map<Integer, SpecificDatumReader<T>>> readers = ThreadLocal.withInitial(HashMap::new);
    private final ThreadLocal<BinaryDecoder> decoders = new ThreadLocal<>();

    ConfluentAvroDeserializer(SchemaRegistryClient registry, Schema readerSchema) {
        this.registry = registry;
        this.readerSchema = readerSchema;
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length < 5 || data[0] != ConfluentAvroSerializer.MAGIC) {
            throw new SerializationException("Not in the Confluent wire format (magic byte 0 + 4-byte schema id): "
                    + (data.length < 5 ? data.length + " bytes" : "first byte " + data[0]));
        }
        int id = ((data[1] & 0xff) << 24) | ((data[2] & 0xff) << 16) | ((data[3] & 0xff) << 8) | (data[4] & 0xff);
        SpecificDatumReader<T> reader = readers.get().get(id);
        if (reader == null) {
            reader = newReader(id);
            readers.get().put(id, reader);
        }
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, 5, data.length - 5, decoders.get());
            decoders.set(decoder);
            return reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot read a " + readerSchema.getName() + " written with schema "
                    + id + " from " + topic + ": " + e, e);
        }
    }

    private SpecificDatumReader<T> newReader(int id) {
        Schema writer;
        try {
            writer = registry.schemaOf(id);
        } catch (RuntimeException e) {
            throw new SerializationException("Schema " + id + " is not available from the registry", e);
        }
        return new SpecificDatumReader<>(writer, readerSchema);
    }
}
