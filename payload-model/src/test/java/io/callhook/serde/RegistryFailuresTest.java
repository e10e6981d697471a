package io.callhook.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.apicurio.registry.rest.client.exception.RestClientException;
import io.apicurio.registry.rest.v2.beans.Error;
import java.io.EOFException;
import java.net.ConnectException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class RegistryFailuresTest {

    private static RestClientException http(int status) {
        Error error = new Error();
        error.setErrorCode(status);
        error.setMessage("status " + status);
        return new RestClientException(error);
    }

    @Test
    void registryServerErrorsAndOverloadAreInfrastructureWhereverTheyAreWrapped() {
        assertThat(RegistryFailures.isInfrastructure(new KafkaException(new SerializationException("x", http(500))))).isTrue();
        assertThat(RegistryFailures.isInfrastructure(http(503))).isTrue();
        assertThat(RegistryFailures.isInfrastructure(http(429))).isTrue();
    }

    @Test
    void registryAnswersAboutTheRecordArePermanent() {
        assertThat(RegistryFailures.isInfrastructure(new SerializationException("unknown id", http(404)))).isFalse();
        assertThat(RegistryFailures.isInfrastructure(http(400))).isFalse();
    }

    @Test
    void transportFailuresAreInfrastructure() {
        Error unreachable = new Error();
        unreachable.setName("ConnectException");
        unreachable.setMessage("Connection refused");
        assertThat(RegistryFailures.isInfrastructure(new SerializationException("x", new RestClientException(unreachable)))).isTrue();
        assertThat(RegistryFailures.isInfrastructure(new SerializationException(new ConnectException("refused")))).isTrue();
        assertThat(RegistryFailures.isInfrastructure(new KafkaException(new TimeoutException("broker")))).isTrue();
    }

    @Test
    void undecodableBytesArePermanent() {
        // Avro reports a truncated record with EOFException, an IOException: the data, not the network.
        // It reaches us wrapped by the deserializer as a SerializationException without an IO cause.
        assertThat(RegistryFailures.isInfrastructure(new SerializationException("not avro"))).isFalse();
        assertThat(RegistryFailures.isInfrastructure(new IllegalStateException("bug"))).isFalse();
    }

    @Test
    void avroReportingTruncatedBytesAsEofIsPermanent() {
        assertThat(RegistryFailures.isInfrastructure(new SerializationException("not a CallEvent", new EOFException()))).isFalse();
    }
}
