package io.callhook.store.stats;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonEncoder;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * A record in Avro's own JSON encoding, which the store's instances answer each other with: the
 * record arrives whole, every field as it was, with no mapping of ours in between to fall behind
 * the schema.
 */
final class AvroJson {

    private AvroJson() {
    }

    static String write(SpecificRecord record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            JsonEncoder encoder = EncoderFactory.get().jsonEncoder(record.getSchema(), out);
            new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
            encoder.flush();
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws IOException when the text is not such a record */
    static <T extends SpecificRecord> T read(Class<T> type, Schema schema, String text) throws IOException {
        return new SpecificDatumReader<>(type).read(null, DecoderFactory.get().jsonDecoder(schema, text));
    }
}
