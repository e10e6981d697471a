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
        int id = autoRegister ? register(subject, schema) : lookUp(subject, schema);
        idBySubject.put(subject, id);
        return id;
    }

    int register(String subject, Schema schema) {
        // The same call, with the same content (Schema#toString), as Apicurio's serializer makes.
        ArtifactMetaData meta = client.createArtifact(null, subject, null, "AVRO", IfExists.RETURN_OR_UPDATE, false,
                null, null, null, null, null, content(schema), List.of());
        return Math.toIntExact(meta.getContentId());
    }

    private int lookUp(String subject, Schema schema) {
        VersionMetaData meta = client.getArtifactVersionMetaDataByContent(null, subject, false, content(schema));
        return Math.toIntExact(meta.getContentId());
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
