package io.callhook.peers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What a team writes first: poll, POST each record's value to its key's URL and wait for the
 * answer, then {@code commitSync} the poll's offsets. One thread, kafka-clients and
 * {@code java.net.http} only. A record whose POST fails stops the loop uncommitted (at least
 * once), which in the benchmark never happens: the receiver answers 204.
 *
 * <p>Usage: {@code PlainLoop --bootstrap host:port --topic T --group G --url http://127.0.0.1:port/hooks/}.
 */
public final class PlainLoop {

    private PlainLoop() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        PeerArgs peer = PeerArgs.parse(args);
        HttpClient http = HttpClient.newBuilder()
                // Plain HTTP/1.1 with keep-alive: the default HTTP/2 would first try an h2c upgrade.
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, peer.bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, peer.group(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(java.util.List.of(peer.topic()));
            while (true) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(100));
                for (ConsumerRecord<String, byte[]> record : records) {
                    HttpRequest request = HttpRequest.newBuilder(URI.create(peer.urlOf(record.key())))
                            .timeout(Duration.ofSeconds(15))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(record.value()))
                            .build();
                    int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (status / 100 != 2) {
                        throw new IllegalStateException("POST " + request.uri() + " answered " + status + " (" + record.topic()
                                + "-" + record.partition() + " at offset " + record.offset() + ")");
                    }
                }
                if (!records.isEmpty()) {
                    consumer.commitSync();
                }
            }
        }
    }
}
