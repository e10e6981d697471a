package io.callhook.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/** Runs the same check from many threads at once, for tests of thread safety. */
public final class Concurrently {

    private Concurrently() {
    }

    /**
     * Runs {@code tasks} checks, {@code task.apply(n)} for n = 0.., on {@code threads} threads at
     * once, and says whether every one of them held; a check that throws fails the call.
     */
    public static boolean allHold(int threads, int tasks, IntFunction<Callable<Boolean>> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int n = 0; n < tasks; n++) {
                results.add(pool.submit(task.apply(n)));
            }
            boolean all = true;
            for (Future<Boolean> result : results) {
                all &= result.get();
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }
}
