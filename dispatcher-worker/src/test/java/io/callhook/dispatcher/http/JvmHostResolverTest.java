package io.callhook.dispatcher.http;

import io.callhook.testkit.SharedVertx;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

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

/** With a fake lookup and a fake clock: no DNS, no waiting for TTLs or deadlines. */
@ExtendWith(SharedVertx.class)
class JvmHostResolverTest {

    private static final Duration TTL = Duration.ofSeconds(30);
    private static final Duration FAILURE_TTL = Duration.ofSeconds(5);
    private static final Duration WITHIN = Duration.ofSeconds(10);

    private final Vertx vertx;

    private final AtomicLong nanos = new AtomicLong();
    private final AtomicInteger lookups = new AtomicInteger();
    private final List<String> lookupThreads = new ArrayList<>();
    private final List<JvmHostResolver> resolvers = new ArrayList<>();

    JvmHostResolverTest(Vertx vertx) {
        this.vertx = vertx;
    }

    @AfterEach
    void closeResolvers() {
        resolvers.forEach(JvmHostResolver::close);
    }

    @Test
    void answersAreReusedForTheTtlAndLookedUpOnThreadsOfTheirOwn() throws Exception {
        JvmHostResolver resolver = resolver(host -> {
            synchronized (lookupThreads) {
                lookupThreads.add(Context.isOnVertxThread() ? "a Vert.x thread" : Thread.currentThread().getName());
            }
            return new InetAddress[]{ip(10, 0, 0, 1), ip(10, 0, 0, 2)};
        });

        assertThat(outcome(resolver.resolve("hooks.example.test", "1", WITHIN)).result()).containsExactly(ip(10, 0, 0, 1), ip(10, 0, 0, 2));
        assertThat(outcome(resolver.resolve("HOOKS.example.test", "1", WITHIN)).result()).hasSize(2);
        assertThat(lookups).hasValue(1);

        nanos.addAndGet(FAILURE_TTL.multipliedBy(2).toNanos());
        outcome(resolver.resolve("hooks.example.test", "1", WITHIN));
        assertThat(lookups).as("an answer outlives the failure TTL").hasValue(1);

        nanos.addAndGet(TTL.toNanos());
        outcome(resolver.resolve("hooks.example.test", "1", WITHIN));

        assertThat(lookups).hasValue(2);
        assertThat(lookupThreads).allSatisfy(name -> assertThat(name).startsWith("callhook-dns-"));
    }

    @Test
    void notFoundIsReusedForTheShorterFailureTtl() throws Exception {
        JvmHostResolver resolver = resolver(host -> {
            throw new UnknownHostException(host);
        });

        AsyncResult<List<InetAddress>> first = outcome(resolver.resolve("gone.example.test", "1", WITHIN));
        outcome(resolver.resolve("gone.example.test", "1", WITHIN));
        assertThat(first.cause()).isInstanceOf(UnknownHostException.class);
        assertThat(lookups).hasValue(1);

        nanos.addAndGet(FAILURE_TTL.plusMillis(1).toNanos());
        outcome(resolver.resolve("gone.example.test", "1", WITHIN));

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
            pending.add(resolver.resolve("busy.example.test", "1", WITHIN));
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

        context.runOnContext(v -> resolver.resolve("loop.example.test", "1", WITHIN)
                .onComplete(ar -> onEventLoop.complete(Context.isOnEventLoopThread() && Vertx.currentContext() == context)));

        assertThat(onEventLoop.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void oneAccountsHangingLookupsLeaveTheOtherThreadsToOtherAccounts() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        JvmHostResolver resolver = hangingOnSlowNames(SenderConfig.defaults().withResolver(4, 2, 64), release);

        List<Future<List<InetAddress>>> hanging = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            hanging.add(resolver.resolve("slow-" + i + ".example.test", "1", WITHIN));
        }
        for (int i = 0; i < 10; i++) {
            assertThat(outcome(resolver.resolve("fast-" + i + ".example.test", "2", WITHIN)).result()).containsExactly(ip(10, 0, 0, 1));
        }

        assertThat(hanging).noneMatch(Future::isComplete);
        // 2 of account 1's lookups running (and hanging), 8 waiting; account 2's 10 done.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> lookups.get() == 12);
        release.countDown();
        for (Future<List<InetAddress>> future : hanging) {
            assertThat(outcome(future).succeeded()).isTrue();
        }
    }

    @Test
    void anAccountWithAFullQueueIsRefusedAtOnceAndTheRefusalIsNotCached() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        JvmHostResolver resolver = hangingOnSlowNames(SenderConfig.defaults().withResolver(4, 1, 2), release);
        List<Future<List<InetAddress>>> waiting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiting.add(resolver.resolve("slow-" + i + ".example.test", "1", WITHIN)); // one running, two queued
        }

        AsyncResult<List<InetAddress>> refused = outcome(resolver.resolve("fast.example.test", "1", WITHIN));

        assertThat(refused.cause()).isInstanceOf(ResolverBusyException.class);
        assertThat(outcome(resolver.resolve("fast.example.test", "2", WITHIN)).succeeded()).as("another account").isTrue();
        release.countDown();
        for (Future<List<InetAddress>> future : waiting) {
            assertThat(outcome(future).succeeded()).isTrue();
        }
        assertThat(outcome(resolver.resolve("fast.example.test", "1", WITHIN)).succeeded()).isTrue();
    }

    @Test
    void aLookupStillWaitingAtItsDeadlineIsNeverStarted() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        JvmHostResolver resolver = hangingOnSlowNames(SenderConfig.defaults().withResolver(4, 1, 8), release);
        Future<List<InetAddress>> running = resolver.resolve("slow-1.example.test", "1", WITHIN);
        Future<List<InetAddress>> late = resolver.resolve("late.example.test", "1", Duration.ofMillis(100));

        nanos.addAndGet(Duration.ofMillis(200).toNanos());
        release.countDown();

        assertThat(outcome(running).succeeded()).isTrue();
        assertThat(outcome(late).cause()).isInstanceOf(JvmHostResolver.LookupExpired.class);
        assertThat(lookups).as("only the running lookup").hasValue(1);
        assertThat(outcome(resolver.resolve("late.example.test", "1", WITHIN)).succeeded()).as("expiry is not cached").isTrue();
    }

    /** Names starting with {@code slow-} hang until {@code release}; the others are 10.0.0.1 at once. */
    private JvmHostResolver hangingOnSlowNames(SenderConfig config, CountDownLatch release) {
        return resolver(config, host -> {
            if (host.startsWith("slow-")) {
                await(release);
            }
            return new InetAddress[]{ip(10, 0, 0, 1)};
        });
    }

    private JvmHostResolver resolver(JvmHostResolver.NameLookup lookup) {
        return resolver(SenderConfig.defaults(), lookup);
    }

    private JvmHostResolver resolver(SenderConfig config, JvmHostResolver.NameLookup lookup) {
        JvmHostResolver resolver = new JvmHostResolver(vertx, config, host -> {
            lookups.incrementAndGet();
            return lookup.lookup(host);
        }, nanos::get);
        resolvers.add(resolver);
        return resolver;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
