package io.callhook.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.callhook.dispatcher.engine.EngineConfig;
import io.callhook.dispatcher.retry.RetrySchedule;
import io.callhook.launch.ChildProcess;
import io.callhook.service.HealthStatus;
import io.callhook.service.Metrics;
import io.callhook.service.OpsServer;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The health checks the containers run, run here with bash against the real endpoints: each
 * Dockerfile's HEALTHCHECK against its service's ops endpoints once the service is ready (and
 * failing when it is not, or not listening), and compose's check of the registry against the
 * real Apicurio registry of the tests. A wrong probe would leave a container unhealthy forever,
 * and with it everything that waits for it.
 */
@RealInfra
class HealthchecksIT {

    private static final List<String> SERVICES = List.of("enricher-stream", "dispatcher-worker", "subscription-store");

    @Test
    void dockerfileHealthchecksPassOnceEachServiceIsReady(Infra infra) throws Exception {
        try (Pipeline pipeline = Pipeline.start(infra, "health.", RetrySchedule.DEFAULT, EngineConfig.DEFAULTS)) {
            Awaitility.await("the services ready").atMost(Duration.ofSeconds(90)).until(pipeline::ready);
            for (String service : SERVICES) {
                Tools.Run probe = probe(service, pipeline.opsPorts.get(service));
                assertThat(probe.succeeded()).as("HEALTHCHECK of %s against its ready service: %s", service, probe.describe())
                        .isTrue();
            }
        }
    }

    @Test
    void dockerfileHealthchecksFailWhileNotReadyOrNotListening() throws Exception {
        try (Metrics metrics = Metrics.create("health-test");
             OpsServer ops = OpsServer.withOwnVertx(metrics.registry())) {
            ops.addReadinessCheck("kafka-streams", () -> HealthStatus.down("REBALANCING"));
            int port = ops.start("127.0.0.1", 0).await();
            int nobody = ChildProcess.freePort();
            for (String service : SERVICES) {
                assertThat(probe(service, port).succeeded()).as("HEALTHCHECK of %s while /health/ready is 503", service)
                        .isFalse();
                assertThat(probe(service, nobody).succeeded()).as("HEALTHCHECK of %s with nothing listening", service)
                        .isFalse();
            }
        }
    }

    @Test
    void composeRegistryHealthcheckPassesAgainstTheRealRegistry(Infra infra, @TempDir Path temp) throws Exception {
        URI registry = URI.create(infra.registryBaseUrl());
        assertThat(registry.getHost()).isEqualTo("127.0.0.1");
        JsonNode compose = Compose.resolved(temp);
        List<String> test = new ArrayList<>();
        compose.path("services").path("registry").path("healthcheck").path("test").forEach(word -> test.add(word.asText()));
        assertThat(test).startsWith("CMD", "bash", "-c").hasSize(4);
        // As compose runs it ($$ is its escape for $), on the test registry's port instead of 8080.
        String script = test.get(3).replace("$$", "$");
        assertThat(script).contains("/dev/tcp/127.0.0.1/8080");
        Tools.Run probe = Tools.run(Path.of("."), Map.of(), "bash", "-c",
                script.replace("/dev/tcp/127.0.0.1/8080", "/dev/tcp/127.0.0.1/" + registry.getPort()));
        assertThat(probe.succeeded()).as("compose's registry health check: %s", probe.describe()).isTrue();
    }

    /** Runs the service's Dockerfile HEALTHCHECK as Docker would, with the image's CALLHOOK_OPS_PORT set to {@code port}. */
    private static Tools.Run probe(String service, int port) throws Exception {
        List<String> command = Dockerfile.read(DeployFiles.dir().resolve(service).resolve("Dockerfile")).healthcheckCommand();
        return Tools.run(Path.of("."), Map.of("CALLHOOK_OPS_PORT", Integer.toString(port)), command.toArray(String[]::new));
    }
}
