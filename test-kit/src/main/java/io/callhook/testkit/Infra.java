package io.callhook.testkit;

/**
 * Where the real infrastructure of an integration test lives: a Kafka broker and a schema
 * registry. Injected into {@code *IT} test methods and constructors by {@link RealInfraExtension}.
 *
 * @param bootstrapServers Kafka bootstrap servers, e.g. {@code 127.0.0.1:39251}
 * @param registryBaseUrl  base URL of the Apicurio registry, e.g. {@code http://127.0.0.1:8080}
 */
public record Infra(String bootstrapServers, String registryBaseUrl) {

    /** The registry's native API, the URL Apicurio's serdes are configured with. */
    public String registryApiUrl() {
        return registryBaseUrl + "/apis/registry/v2";
    }

    /** The registry's Confluent-compatible API, as Confluent clients see it. */
    public String ccompatUrl() {
        return registryBaseUrl + "/apis/ccompat/v7";
    }
}
