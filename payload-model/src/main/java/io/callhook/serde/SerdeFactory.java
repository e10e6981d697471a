package io.callhook.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * Makes the value serdes of our topics. Production uses {@link AvroSerdes} (registry, Confluent
 * wire format); unit tests on TopologyTestDriver use a registry-free fake of this interface.
 */
public interface SerdeFactory {

    <T extends SpecificRecord> Serde<T> forValue(Class<T> type);
}
