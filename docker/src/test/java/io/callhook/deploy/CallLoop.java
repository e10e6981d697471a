package io.callhook.deploy;

import io.callhook.demo.Traffic;
import io.callhook.model.CallEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The telephony backend and the site tracker at a steady pace: for each call a visit, then the
 * call's start and end, the accounts taken in turn. Bounded in count and time, stopped by close.
 */
final class CallLoop implements AutoCloseable {

    private static final int MAX_CALLS = 5_000;
    private static final Duration TIME_LIMIT = Duration.ofMinutes(6);

    private final Thread thread;
    private final AtomicInteger sent = new AtomicInteger();
    private volatile boolean stop;

    private CallLoop(KafkaProducer<String, byte[]> producer, Pipeline pipeline, List<Long> accounts, Duration every,
                     long firstCallId) {
        Traffic traffic = new Traffic(7, Instant.now());
        this.thread = new Thread(() -> {
            long deadline = System.nanoTime() + TIME_LIMIT.toNanos();
            long callId = firstCallId;
            while (!stop && sent.get() < MAX_CALLS && System.nanoTime() < deadline) {
                long account = accounts.get((int) (callId % accounts.size()));
                CallEvent start = traffic.call(callId, account, false);
                producer.send(new ProducerRecord<>(pipeline.names.visits(), start.getVisitorId(),
                        pipeline.topics.visits().valueSerde().serializer().serialize(pipeline.names.visits(),
                                traffic.visit(start.getVisitorId()))));
                for (CallEvent event : List.of(start, traffic.call(callId, account, true))) {
                    producer.send(new ProducerRecord<>(pipeline.names.callEvents(), Long.toString(callId),
                            pipeline.topics.callEvents().valueSerde().serializer().serialize(pipeline.names.callEvents(), event)));
                }
                sent.incrementAndGet();
                callId++;
                try {
                    Thread.sleep(every.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "test-call-loop");
    }

    /** Starts a call every {@code every}, with call ids from {@code firstCallId} up. */
    static CallLoop start(KafkaProducer<String, byte[]> producer, Pipeline pipeline, List<Long> accounts, Duration every,
                          long firstCallId) {
        CallLoop loop = new CallLoop(producer, pipeline, accounts, every, firstCallId);
        loop.thread.start();
        return loop;
    }

    int sent() {
        return sent.get();
    }

    @Override
    public void close() {
        stop = true;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
