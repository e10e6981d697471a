package io.callhook.peers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.main.Main;

/**
 * The Apache Camel route a user would write instead of the dispatcher: camel-kafka with two
 * consumers, each poll delivered as one batch, every record POSTed by camel-http to its key's
 * URL, then the batch's offsets committed by hand. Runs until stopped.
 *
 * <p>Usage: {@code CamelRoute --bootstrap host:port --topic T --group G --url http://127.0.0.1:port/hooks/}.
 */
public final class CamelRoute extends RouteBuilder {

    private final PeerArgs peer;

    private CamelRoute(PeerArgs peer) {
        this.peer = peer;
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main();
        main.configure().addRoutesBuilder(new CamelRoute(PeerArgs.parse(args)));
        main.run();
    }

    @Override
    public void configure() {
        from("kafka:" + peer.topic()
                + "?brokers=" + peer.bootstrap()
                + "&groupId=" + peer.group()
                + "&autoOffsetReset=earliest"
                + "&consumersCount=2"
                + "&batching=true&maxPollRecords=500&pollTimeoutMs=100"
                + "&autoCommitEnable=false&allowManualCommit=true"
                + "&keyDeserializer=org.apache.kafka.common.serialization.StringDeserializer"
                + "&valueDeserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer")
                .routeId("kafka-to-http")
                .split(body())
                    .process(this::toRequest)
                    .to(peer.baseUrl() + "?httpMethod=POST")
                .end()
                .process(CamelRoute::commitBatch);
    }

    /** One record of the batch becomes the POST: its value as the body, its key's URL. */
    private void toRequest(Exchange exchange) {
        Message record = exchange.getMessage().getBody(Exchange.class).getMessage();
        Message request = exchange.getMessage();
        request.setHeader(Exchange.HTTP_URI, peer.urlOf(record.getHeader(KafkaConstants.KEY, String.class)));
        request.setHeader(Exchange.CONTENT_TYPE, "application/json");
        request.setBody(record.getBody(byte[].class));
    }

    /**
     * A batch's records may come from several partitions, and a manual commit commits its own
     * record's partition only: commit the last record of each partition in the batch.
     */
    private static void commitBatch(Exchange batch) {
        Map<Integer, KafkaManualCommit> lastOfPartition = new LinkedHashMap<>();
        for (Object item : batch.getMessage().getBody(List.class)) {
            Message record = ((Exchange) item).getMessage();
            lastOfPartition.put(record.getHeader(KafkaConstants.PARTITION, Integer.class),
                    record.getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class));
        }
        lastOfPartition.values().forEach(KafkaManualCommit::commit);
    }
}
