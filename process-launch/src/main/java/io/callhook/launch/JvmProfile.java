package io.callhook.launch;

import java.util.List;

/** How the JVM of a process the demo, a test or a benchmark starts (broker, services) is tuned. */
public enum JvmProfile {

    /**
     * Ready soonest, for the demo and the tests: the client compiler only, and the serial
     * collector. On two cores a fresh JVM spends most of its first seconds compiling with C2
     * and running G1's threads; without them the demo's restart went from 22-29 s to 14-19 s.
     * Peak speed is lower, which a demo's one call per second never meets.
     */
    QUICK_START(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")),

    /** Fastest once warm, for benchmarks: both compilers and G1, as in production. */
    THROUGHPUT(List.of("-XX:+UseG1GC"));

    private final List<String> options;

    JvmProfile(List<String> options) {
        this.options = options;
    }

    /** The JVM options of this profile, besides the heap size each process sets. */
    public List<String> options() {
        return options;
    }
}
