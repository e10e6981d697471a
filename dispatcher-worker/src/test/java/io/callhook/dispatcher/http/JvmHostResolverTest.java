package io.callhook.dispatcher.http;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.callhook.dispatcher.http.Fixtures.ip;
import static io.callhook.dispatcher.http.Fixtures.outcome;
import static org.assertj.core.api.Assertions.assertThat;

/** With a fake lookup and a fake clock: no DNS, no waiting for TTLs. */
class JvmHostResolverTest {

    private static final Duration TTL = Duration.ofSeconds(30);
    private static final Duration FAILURE_TTL = Duration.ofSeconds(5);

    private static Vertx vertx;

    private final AtomicLong nanos = new AtomicLong();
    private final AtomicInteger lookups = new AtomicInteger();
    private final List<Boolean> onWorker = new ArrayList<>();

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close().await();
    }

    @Test
    void answersAreReusedForTheTtlAndLookedUpOffTheEventLoop() throws Exception {
        JvmHostResolver resolver = resolver(host -> {
            synchronized (onWorker) {
                onWorker.add(Context.isOnWorkerThread());
            }
            return new InetAddress[]{ip(10, 0, 0, 1), ip(10, 0, 0, 2)};
        });

        assertThat(outcome(resolver.resolve("hooks.example.test")).result()).containsExactly(ip(10, 0, 0, 1), ip(10, 0, 0, 2));
        assertThat(outcome(resolver.resolve("HOOKS.example.test")).result()).hasSize(2);
        assertThat(lookups).hasValue(1);

        nanos.addAndGet(FAILURE_TTL.multipliedBy(2).toNanos());
        outcome(resolver.resolve("hooks.example.test"));
        assertThat(lookups).as("an answer outlives the failure TTL").hasValue(1);

        nanos.addAndGet(TTL.toNanos());
        outcome(resolver.resolve("hooks.example.test"));

        assertThat(lookups).hasValue(2);
        assertThat(onWorker).containsOnly(true);
    }

    @Test
    void notFoundIsReusedForTheShorterFailureTtl() throws Exception {
        JvmHostResolver resolver = resolver(host -> {
            throw new UnknownHostException(host);
        });

        AsyncResult<List<InetAddress>> first = outcome(resolver.resolve("gone.example.test"));
        outcome(resolver.resolve("gone.example.test"));
        assertThat(first.cause()).isInstanceOf(UnknownHostException.class);
        assertThat(lookups).hasValue(1);

        nanos.addAndGet(FAILURE_TTL.plusMillis(1).toNanos());
        outcome(resolver.resolve("gone.example.test"));

        assertThat(lookups).hasValue(2);
    }

    @Test
    void concurrentRequestsForOneNameShareOneLookup() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        JvmHostResolver resolver = resolver(host -> {
            await(release);
            return new InetAddress[]{ip(10, 0, 0, 1)};
        });

        List<Future<List<InetAddress>>> pending = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            pending.add(resolver.resolve("busy.example.test"));
        }
        release.countDown();

        for (Future<List<InetAddress>> future : pending) {
            assertThat(outcome(future).result()).containsExactly(ip(10, 0, 0, 1));
        }
        assertThat(lookups).hasValue(1);
    }

    @Test
    void theAnswerArrivesOnTheCallersEventLoop() throws Exception {
        JvmHostResolver resolver = resolver(host -> new InetAddress[]{ip(10, 0, 0, 1)});
        CompletableFuture<Boolean> onEventLoop = new CompletableFuture<>();
        Context context = vertx.getOrCreateContext();

        context.runOnContext(v -> resolver.resolve("loop.example.test")
                .onComplete(ar -> onEventLoop.complete(Context.isOnEventLoopThread() && Vertx.currentContext() == context)));

        assertThat(onEventLoop.get(10, TimeUnit.SECONDS)).isTrue();
    }

    private JvmHostResolver resolver(JvmHostResolver.NameLookup lookup) {
        return new JvmHostResolver(vertx, TTL, FAILURE_TTL, host -> {
            lookups.incrementAndGet();
            return lookup.lookup(host);
        }, nanos::get);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
