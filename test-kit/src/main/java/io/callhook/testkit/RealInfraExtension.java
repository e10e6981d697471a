package io.callhook.testkit;

import io.callhook.launch.RegistryProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JUnit 5 extension giving integration tests a real Kafka broker and a real schema registry,
 * started once per test JVM and shared by every test class, stopped when the run ends.
 *
 * <p>When {@code KAFKA_BOOTSTRAP_SERVERS} and/or {@code SCHEMA_REGISTRY_URL} are set, those are
 * used instead of starting our own. Tests inject {@link Infra} as a parameter:
 *
 * <pre>{@code
 * @RealInfra
 * class SomethingIT {
 *     @Test void works(Infra infra) { ... infra.bootstrapServers() ... }
 * }
 * }</pre>
 *
 * Tests share the broker, so each test uses topic names of its own.
 */
public final class RealInfraExtension implements ParameterResolver {

    private static final Logger LOG = LoggerFactory.getLogger(RealInfraExtension.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RealInfraExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Infra.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return shared(context).infra();
    }

    /** The infrastructure of this test JVM, started on first use. */
    public static Infra infra(ExtensionContext context) {
        return shared(context).infra();
    }

    private static Started shared(ExtensionContext context) {
        // The root store lives as long as the test run and closes what it holds at the end.
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Started.class, key -> Started.start(), Started.class);
    }

    /** What this JVM started, closed in reverse order when the test run ends. */
    private record Started(Infra infra, List<AutoCloseable> owned)
            implements ExtensionContext.Store.CloseableResource, AutoCloseable {

        static Started start() {
            List<AutoCloseable> owned = new ArrayList<>();
            try {
                String bootstrap = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
                if (bootstrap == null || bootstrap.isBlank()) {
                    InProcessKafka kafka = InProcessKafka.start();
                    owned.add(kafka);
                    bootstrap = kafka.bootstrapServers();
                } else {
                    LOG.info("Using the Kafka broker at {} (KAFKA_BOOTSTRAP_SERVERS)", bootstrap);
                }
                String registry = System.getenv("SCHEMA_REGISTRY_URL");
                if (registry == null || registry.isBlank()) {
                    Path logDir = Files.createDirectories(Path.of("target", "it-logs"));
                    RegistryProcess process = RegistryProcess.start(null, logDir.resolve("schema-registry.log"));
                    owned.add(process);
                    registry = process.baseUrl();
                } else {
                    LOG.info("Using the schema registry at {} (SCHEMA_REGISTRY_URL)", registry);
                }
                return new Started(new Infra(bootstrap, stripTrailingSlash(registry)), owned);
            } catch (Exception e) {
                closeAll(owned);
                throw new IllegalStateException("Could not start the test infrastructure: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            closeAll(owned);
        }

        private static void closeAll(List<AutoCloseable> owned) {
            for (int i = owned.size() - 1; i >= 0; i--) {
                try {
                    owned.get(i).close();
                } catch (Exception e) {
                    LOG.warn("Failed to stop {}", owned.get(i), e);
                }
            }
        }

        private static String stripTrailingSlash(String url) {
            return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        }
    }
}
