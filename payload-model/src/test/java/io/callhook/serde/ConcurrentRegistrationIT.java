package io.callhook.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.body.SampleCalls;
import io.callhook.model.CallEvent;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

/**
 * Several services starting at once against the real registry: each registers the schemas it
 * writes while others do the same, and a serializer registers on its first record meanwhile (as
 * a test or a producer with auto-register does). The registry's store refuses some of these
 * concurrent writes (lock timeouts); every one must still end registered, each subject with one
 * contentId for all. A CI run failed on a first-use serializer that did not try again; with the
 * registry's store on a pool of connections, this test did not finish in 3 minutes.
 */
@RealInfra
class ConcurrentRegistrationIT {

    private static final int SERVICES = 6;
    private static final int OWN_SCHEMAS = 8;
    private static final int SHARED_TOPICS = 4;

    @Test
    void everyRegistrationEndsRegisteredWhileOthersRegisterAtTheSameTime(Infra infra) throws Exception {
        String run = "concurrent" + System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(SERVICES * 2);
        CountDownLatch go = new CountDownLatch(1);
        Map<String, Set<Integer>> idsBySharedTopic = new ConcurrentHashMap<>();
        List<Future<?>> work = new ArrayList<>();
        try {
            for (int service = 0; service < SERVICES; service++) {
                AvroSerdes serdes = new AvroSerdes(new RegistryConfig(infra.registryBaseUrl(), true));
                Map<String, Schema> own = new LinkedHashMap<>();
                for (int i = 0; i < OWN_SCHEMAS; i++) {
                    own.put(run + ".s" + service + ".t" + i, recordSchema("R" + service + "x" + i));
                }
                work.add(pool.submit((Callable<Void>) () -> {
                    go.await();
                    serdes.registerValueSchemas(own);
                    return null;
                }));
                Serializer<CallEvent> serializer = serdes.forValue(CallEvent.class).serializer();
                work.add(pool.submit((Callable<Void>) () -> {
                    go.await();
                    for (int t = 0; t < SHARED_TOPICS; t++) {
                        String topic = run + ".shared" + t;
                        byte[] framed = serializer.serialize(topic, SampleCalls.startedCall(t));
                        idsBySharedTopic.computeIfAbsent(topic, k -> ConcurrentHashMap.newKeySet())
                                .add(ByteBuffer.wrap(framed, 1, 4).getInt());
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> future : work) {
                future.get(90, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(idsBySharedTopic).hasSize(SHARED_TOPICS);
        idsBySharedTopic.forEach((topic, ids) -> assertThat(ids).as("contentIds framed for " + topic).hasSize(1));
    }

    /**
     * A service of a newer release registers an evolved schema under a subject that has an older
     * one: a new version, which the registry's store writes while it reads the subject's rules on
     * a second connection (with a single connection it waited for itself until "acquisition
     * timeout": the previous release's dispatcher could not start against a newer registry).
     */
    @Test
    void anEvolvedSchemaIsRegisteredAsANewVersionOfItsSubject(Infra infra) throws Exception {
        String topic = "evolving" + System.nanoTime();
        Schema first = recordSchema("Evolving");
        Schema second = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Evolving\","
                + "\"namespace\":\"io.callhook.concurrent\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"},"
                + "{\"name\":\"y\",\"type\":[\"null\",\"string\"],\"default\":null}]}");
        new AvroSerdes(new RegistryConfig(infra.registryBaseUrl(), true)).registerValueSchemas(Map.of(topic, first));
        long started = System.nanoTime();
        new AvroSerdes(new RegistryConfig(infra.registryBaseUrl(), true)).registerValueSchemas(Map.of(topic, second));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("registered at the first try").isLessThan(Duration.ofSeconds(2));
    }

    private static Schema recordSchema(String name) {
        return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"" + name
                + "\",\"namespace\":\"io.callhook.concurrent\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]}");
    }
}
