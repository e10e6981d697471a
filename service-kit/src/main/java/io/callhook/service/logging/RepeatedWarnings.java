package io.callhook.service.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Marker;

/**
 * Logs a repeated warning of Kafka's clients once per {@link #setWindowSeconds window} (60 s),
 * then says how many like it were left out. While a broker is gone each client warns of every
 * failed connection attempt, several times a second: three services logged 1,400 such lines in a
 * 25 s outage, and an hour's outage would bury everything else. What matters (no broker answers,
 * since when, and when one does again) is said once by the services' own broker check.
 *
 * <p>A warning repeats when its logger and message pattern are the same (Kafka's patterns carry
 * the client's id, so each client has its own); warnings of other loggers, and errors, pass
 * untouched. Configured in a service's {@code logback.xml}:
 * <pre>{@code <turboFilter class="io.callhook.service.logging.RepeatedWarnings"/>}</pre>
 */
public final class RepeatedWarnings extends TurboFilter {

    /** The loggers whose warnings repeat while a broker is unreachable. */
    private static final List<String> LOGGERS = List.of("org.apache.kafka.clients.NetworkClient");
    /** Patterns are a client's fixed texts; should one carry changing text, the memory stays bounded. */
    private static final int MAX_REMEMBERED = 1_000;

    private static final class Window {
        final long startedAt;
        int leftOut;

        Window(long startedAt) {
            this.startedAt = startedAt;
        }
    }

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;
    private long windowNanos = Duration.ofSeconds(60).toNanos();

    public RepeatedWarnings() {
        this(System::nanoTime);
    }

    RepeatedWarnings(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** How long a warning is not repeated, in seconds (logback sets it from {@code <windowSeconds>}). */
    public void setWindowSeconds(int seconds) {
        if (seconds < 1) {
            throw new IllegalArgumentException("windowSeconds must be at least 1, was " + seconds);
        }
        windowNanos = Duration.ofSeconds(seconds).toNanos();
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level != Level.WARN || format == null || !watched(logger.getName())) {
            return FilterReply.NEUTRAL;
        }
        String key = logger.getName() + '\u0000' + format;
        if (windows.size() >= MAX_REMEMBERED && !windows.containsKey(key)) {
            windows.clear();
        }
        long now = nanoTime.getAsLong();
        int[] endedWithLeftOut = {0};
        boolean[] logIt = {false};
        windows.compute(key, (k, window) -> {
            if (window == null || now - window.startedAt >= windowNanos) {
                endedWithLeftOut[0] = window == null ? 0 : window.leftOut;
                logIt[0] = true;
                return new Window(now);
            }
            window.leftOut++;
            return window;
        });
        if (!logIt[0]) {
            return FilterReply.DENY;
        }
        if (endedWithLeftOut[0] > 0) {
            // Through the logger's own context: the one this filter was configured in.
            logger.getLoggerContext().getLogger(RepeatedWarnings.class).warn(
                    "{} more warnings of {} like the next one were left out in the {} s after the last one logged",
                    endedWithLeftOut[0], logger.getName(), Duration.ofNanos(windowNanos).toSeconds());
        }
        return FilterReply.NEUTRAL;
    }

    private boolean watched(String name) {
        for (String watched : LOGGERS) {
            if (name.startsWith(watched)) {
                return true;
            }
        }
        return false;
    }
}
