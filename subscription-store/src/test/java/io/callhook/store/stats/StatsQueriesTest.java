package io.callhook.store.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * While the counters' store cannot be queried (not started yet, or mid-rebalance), questions get
 * an answer without the stats, never an exception: a thrown one left the HTTP request waiting
 * until the client gave up.
 */
class StatsQueriesTest {

    @Test
    void aStoreThatCannotBeQueriedGivesNoStatsInsteadOfThrowing() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.table("stats-test-source", Consumed.with(Serdes.String(), Serdes.String()),
                Materialized.<String, String, KeyValueStore<Bytes, byte[]>>as(StatsTopology.STATS_STORE));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "stats-queries-test");
        // Never started: the clients are created but connect to nothing.
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        Vertx vertx = Vertx.vertx();
        try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
            StatsQueries queries = new StatsQueries(streams, new HostInfo("127.0.0.1", 1), WebClient.create(vertx), "token");

            assertThat(queries.local(List.of("sub_1"))).isEmpty();
            Future<Map<String, ?>> found = queries.find(List.of("sub_1")).map(stats -> stats);
            assertThat(found.isComplete()).as("answered at once").isTrue();
            if (found.succeeded()) {
                assertThat(found.result()).isEmpty();
            }
        } finally {
            vertx.close().await();
        }
    }
}
