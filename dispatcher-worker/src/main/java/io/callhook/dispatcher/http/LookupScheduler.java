package io.callhook.dispatcher.http;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Runs blocking name lookups on threads of their own (never Vert.x's shared worker pool, which
 * also answers readiness probes and metrics scrapes), shared fairly between tenants:
 * <ul>
 *   <li>at most {@code perTenant} lookups of one tenant run at once; its others wait in its own
 *       queue, and a freed thread goes to the next waiting tenant in turn;</li>
 *   <li>a tenant's queue holds at most {@code queuePerTenant} lookups: one more is refused at
 *       once (the attempt fails as {@code RESOLVER_BUSY} and is retried later), never waits;</li>
 *   <li>a lookup still queued when its caller's deadline has passed is dropped unstarted.</li>
 * </ul>
 * A lookup cannot be interrupted (the JVM's resolver blocks until the operating system gives up),
 * so a tenant whose names hang, e.g. behind a silent DNS server, keeps at most {@code perTenant}
 * threads busy, and only its own lookups wait. Thread-safe.
 */
final class LookupScheduler implements AutoCloseable {

    /** One lookup: {@code run} on a lookup thread, or {@code expired} if its deadline passed first. */
    record Task(long deadlineNanos, Runnable run, Runnable expired) {
    }

    private final int threads;
    private final int perTenant;
    private final int queuePerTenant;
    private final LongSupplier nanoTime;
    private final ExecutorService pool;
    // Guarded by this.
    private final Map<String, Tenant> tenants = new HashMap<>();
    private final ArrayDeque<Tenant> ready = new ArrayDeque<>();
    private int running;
    private boolean closed;

    /**
     * @param threads        lookup threads in all; at least 1
     * @param perTenant      one tenant's lookups running at once; 1..threads
     * @param queuePerTenant one tenant's lookups waiting at most; at least 1
     * @param nanoTime       the clock deadlines are on
     */
    LookupScheduler(int threads, int perTenant, int queuePerTenant, LongSupplier nanoTime) {
        if (threads < 1 || perTenant < 1 || perTenant > threads || queuePerTenant < 1) {
            throw new IllegalArgumentException("lookup threads " + threads + ", per tenant " + perTenant
                    + ", queued per tenant " + queuePerTenant);
        }
        this.threads = threads;
        this.perTenant = perTenant;
        this.queuePerTenant = queuePerTenant;
        this.nanoTime = nanoTime;
        // Never more tasks than threads are handed over (see dispatch), so its own queue stays short.
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemonThreads());
        executor.allowCoreThreadTimeOut(true);
        this.pool = executor;
    }

    /**
     * Queues a lookup for the tenant.
     *
     * @return false when the tenant already has {@code queuePerTenant} lookups waiting (or the
     *         scheduler is closed): the lookup was not taken, and neither of its actions will run
     */
    boolean submit(String tenant, Task task) {
        List<Task> expired;
        synchronized (this) {
            if (closed) {
                return false;
            }
            Tenant waiting = tenants.computeIfAbsent(tenant, Tenant::new);
            if (waiting.queue.size() >= queuePerTenant) {
                return false;
            }
            waiting.queue.add(task);
            markReady(waiting);
            expired = dispatch();
        }
        expired.forEach(late -> late.expired().run());
        return true;
    }

    /** Lookups running now; for tests and metrics. */
    synchronized int running() {
        return running;
    }

    /** Stops the threads; lookups still queued expire. */
    @Override
    public void close() {
        List<Task> dropped = new ArrayList<>();
        synchronized (this) {
            closed = true;
            tenants.values().forEach(tenant -> dropped.addAll(tenant.queue));
            tenants.clear();
            ready.clear();
        }
        pool.shutdownNow();
        dropped.forEach(task -> task.expired().run());
    }

    /** Starts what the free threads allow, in turn; returns the tasks found expired, to fail outside the lock. */
    private List<Task> dispatch() {
        List<Task> expired = new ArrayList<>(0);
        while (running < threads && !ready.isEmpty()) {
            Tenant tenant = ready.poll();
            tenant.inReady = false;
            Task task = tenant.queue.poll();
            if (nanoTime.getAsLong() - task.deadlineNanos() >= 0) {
                expired.add(task);
            } else {
                running++;
                tenant.running++;
                pool.execute(() -> runThenRelease(tenant, task));
            }
            markReady(tenant);
            forgetIfIdle(tenant);
        }
        return expired;
    }

    private void runThenRelease(Tenant tenant, Task task) {
        try {
            task.run().run();
        } finally {
            List<Task> expired;
            synchronized (this) {
                running--;
                tenant.running--;
                markReady(tenant);
                forgetIfIdle(tenant);
                expired = closed ? List.of() : dispatch();
            }
            expired.forEach(late -> late.expired().run());
        }
    }

    private void markReady(Tenant tenant) {
        if (!tenant.inReady && !tenant.queue.isEmpty() && tenant.running < perTenant) {
            tenant.inReady = true;
            ready.add(tenant);
        }
    }

    private void forgetIfIdle(Tenant tenant) {
        if (tenant.running == 0 && tenant.queue.isEmpty()) {
            tenants.remove(tenant.key, tenant);
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return work -> {
            Thread thread = new Thread(work, "callhook-dns-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One tenant's lookups: running and waiting. Guarded by the scheduler. */
    private static final class Tenant {
        final String key;
        final ArrayDeque<Task> queue = new ArrayDeque<>();
        int running;
        boolean inReady;

        Tenant(String key) {
            this.key = key;
        }
    }
}
