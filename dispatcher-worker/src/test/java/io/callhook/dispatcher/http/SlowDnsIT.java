package io.callhook.dispatcher.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.model.HttpMethod;
import io.callhook.net.AddressPolicy;
import io.callhook.testsupport.Receiver;
import com.github.benmanes.caffeine.cache.Ticker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * One account's hosts whose names never resolve (a DNS server that does not answer) must not
 * delay other accounts' webhooks, nor the rest of the dispatcher's blocking work. The blocking
 * lookup is faked (names {@code slow-*} hang until the test ends; the others are 127.0.0.1 at
 * once, so nothing asks a real DNS server), the receiver is real, on loopback.
 */
class SlowDnsIT {

    private static final AddressPolicy LOOPBACK_ALLOWED = AddressPolicy.allowing("127.0.0.0/8");
    /** Generous: the machine may be busy. Lookups of the hanging names outlast it many times. */
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** The hanging account's attempts give up sooner, so the test does not wait for them long. */
    private static final Duration HANGING_TIMEOUT = Duration.ofSeconds(2);
    private static final int HANGING_HOSTS = 64;
    private static final int HEALTHY_HOSTS = 20;

    private final CountDownLatch dnsAnswers = new CountDownLatch(1);
    private Vertx vertx;
    private Receiver receiver;
    private WebhookSender sender;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        receiver = Receiver.start(vertx);
        SenderConfig config = SenderConfig.defaults().withTimeouts(Duration.ofSeconds(1), TIMEOUT);
        JvmHostResolver resolver = new JvmHostResolver(vertx, config, host -> {
            if (host.startsWith("slow-")) {
                awaitQuietly(dnsAnswers); // an OS resolver waiting on a silent DNS server
            }
            return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})};
        }, Ticker.systemTicker());
        sender = new WebhookSender(vertx, config, LOOPBACK_ALLOWED, resolver, System::nanoTime);
    }

    @AfterEach
    void stop() {
        dnsAnswers.countDown();
        sender.close();
        receiver.close();
        vertx.close().await();
    }

    @Test
    void hangingLookupsOfOneTenantDelayNobodyElse() throws Exception {
        // A first round warms the client up.
        for (int i = 0; i < HEALTHY_HOSTS; i++) {
            assertThat(sender.send(get("warm-" + i + ".tenant-b.test", "202", TIMEOUT)).await(10, TimeUnit.SECONDS))
                    .isInstanceOf(SendResult.Delivered.class);
        }
        List<Future<SendResult>> hanging = new ArrayList<>();
        for (int i = 0; i < HANGING_HOSTS; i++) {
            hanging.add(sender.send(get("slow-" + i + ".tenant-a.test", "101", HANGING_TIMEOUT)));
        }

        long start = System.nanoTime();
        List<Future<SendResult>> healthy = new ArrayList<>();
        for (int i = 0; i < HEALTHY_HOSTS; i++) {
            healthy.add(sender.send(get("hooks-" + i + ".tenant-b.test", i % 2 == 0 ? "202" : "303", TIMEOUT)));
        }
        // The shared worker pool (readiness probes, metrics scrapes) stays free as well.
        assertThat(vertx.executeBlocking(() -> 1, false).await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(1);

        for (Future<SendResult> result : healthy) {
            assertThat(result.await(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS)).isInstanceOf(SendResult.Delivered.class);
        }
        Duration healthyTook = Duration.ofNanos(System.nanoTime() - start);
        assertThat(receiver.count()).isEqualTo(2 * HEALTHY_HOSTS);
        assertThat(healthyTook).as("delivered within the time other accounts' attempts allow").isLessThan(TIMEOUT);
        LoggerFactory.getLogger(SlowDnsIT.class).info("{} healthy deliveries took {} ms next to {} hanging lookups",
                HEALTHY_HOSTS, healthyTook.toMillis(), HANGING_HOSTS);

        for (Future<SendResult> result : hanging) {
            SendResult outcome = result.await(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
            assertThat(outcome).as("the hanging tenant's attempts end by their deadline or at once, typed")
                    .isInstanceOfAny(SendResult.TimedOut.class, SendResult.ConnectionFailed.class);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private PreparedRequest get(String host, String account, Duration timeout) {
        return new PreparedRequest(HttpMethod.GET, "http://" + host + ":" + receiver.port() + "/hook", Map.of(), new byte[0],
                timeout, account);
    }
}
