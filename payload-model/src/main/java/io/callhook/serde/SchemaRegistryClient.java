package io.callhook.serde;

import io.apicurio.registry.rest.client.RegistryClient;
import io.apicurio.registry.rest.client.RegistryClientFactory;
import io.apicurio.registry.rest.v2.beans.ArtifactMetaData;
import io.apicurio.registry.rest.v2.beans.IfExists;
import io.apicurio.registry.rest.v2.beans.VersionMetaData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * The registry calls our serdes make, through Apicurio's client, each at most once per schema:
 * the contentId of a subject's schema (registering it if asked to), and a writer schema by its
 * contentId. Subjects are {@code <topic>-value} in the default group, as Apicurio's and
 * Confluent's topic-name strategies name them.
 */
final class SchemaRegistryClient {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SchemaRegistryClient.class);
    /** How often one registration is tried (about 7 s of pauses in all) before the caller hears it failed. */
    static final int REGISTER_ATTEMPTS = 8;
    private static final long REGISTER_PAUSE_MS = 250;

    private final RegistryClient client;
    private final boolean autoRegister;
    private final Map<String, Integer> idBySubject = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemaById = new ConcurrentHashMap<>();

    SchemaRegistryClient(RegistryConfig registry) {
        this.client = RegistryClientFactory.create(registry.apiUrl());
        this.autoRegister = registry.autoRegister();
    }

    /** The contentId the subject holds for this exact schema; registered first when auto-registering. */
    int idOf(String subject, Schema schema) {
        Integer known = idBySubject.get(subject);
        if (known != null) {
            return known;
        }
        return autoRegister ? register(subject, schema) : lookUp(subject, schema);
    }

    /**
     * Registers the schema under the subject (idempotent) and remembers its contentId, so the
     * serializers' first records do not ask again.
     */
    int register(String subject, Schema schema) {
        for (int attempt = 1; ; attempt++) {
            try {
                // The same call, with the same content (Schema#toString), as Apicurio's serializer makes.
                ArtifactMetaData meta = client.createArtifact(null, subject, null, "AVRO", IfExists.RETURN_OR_UPDATE,
                        false, null, null, null, null, null, content(schema), List.of());
                int id = Math.toIntExact(meta.getContentId());
                idBySubject.put(subject, id);
                return id;
            } catch (RuntimeException e) {
                // Under concurrent registrations from several services (or a service and a test's
                // serializer) the registry's store refuses some: lock timeouts, "concurrent update",
                // even 404 for a create. Try again a few times. Not for long: a registry that stays
                // down is the caller's to wait out and show (readiness).
                if (attempt == REGISTER_ATTEMPTS) {
                    throw e;
                }
                LOG.warn("Registering {} failed ({}), trying again", subject, e.toString());
                pause(REGISTER_PAUSE_MS * attempt, e);
            }
        }
    }

    private static void pause(long millis, RuntimeException cause) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            cause.addSuppressed(interrupted);
            throw cause;
        }
    }

    private int lookUp(String subject, Schema schema) {
        VersionMetaData meta = client.getArtifactVersionMetaDataByContent(null, subject, false, content(schema));
        int id = Math.toIntExact(meta.getContentId());
        idBySubject.put(subject, id);
        return id;
    }

    /** The writer schema with this contentId. */
    Schema schemaOf(int id) {
        return schemaById.computeIfAbsent(id, this::fetch);
    }

    private Schema fetch(int id) {
        try (InputStream in = client.getContentById(id)) {
            return new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("reading schema " + id + " from the registry", e);
        }
    }

    private static InputStream content(Schema schema) {
        return new ByteArrayInputStream(schema.toString().getBytes(StandardCharsets.UTF_8));
    }
}
