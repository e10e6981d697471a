package io.callhook.bench;

import io.callhook.launch.NginxReceiver;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads nginx's arrival log as it grows ({@code $msec $http_webhook_id} per request, see
 * {@link NginxReceiver}): when each webhook id first arrived, in epoch milliseconds, the clock
 * the benchmark notes publishing times on. Requests without a webhook id are not counted.
 */
final class NginxArrivals {

    private final Path file;
    private final Map<String, Long> firstArrival = new HashMap<>();
    private final StringBuilder partialLine = new StringBuilder();
    private long position;

    NginxArrivals(Path file) {
        this.file = file;
    }

    /** Reads what nginx has written since the last call (it writes its buffer at least every 250 ms). */
    void refresh() throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size <= position) {
                return;
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(size - position, 64L * 1024 * 1024));
            while (buffer.hasRemaining() && channel.read(buffer, position + buffer.position()) > 0) {
                // read until the buffer is full or the end is reached
            }
            position += buffer.position();
            partialLine.append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII));
        }
        int start = 0;
        for (int end = partialLine.indexOf("\n"); end >= 0; end = partialLine.indexOf("\n", start)) {
            parse(partialLine.substring(start, end));
            start = end + 1;
        }
        partialLine.delete(0, start);
    }

    private void parse(String line) {
        int space = line.indexOf(' ');
        if (space <= 0) {
            return;
        }
        String id = line.substring(space + 1).trim();
        if (id.isEmpty() || id.equals("-")) {
            return;
        }
        // $msec is seconds with a millisecond fraction: "1764751234.123".
        String seconds = line.substring(0, space);
        int dot = seconds.indexOf('.');
        long millis = Long.parseLong(seconds.substring(0, dot)) * 1000 + Long.parseLong(seconds.substring(dot + 1));
        firstArrival.putIfAbsent(id, millis);
    }

    /** Distinct webhook ids seen since the last {@link #clear()}. */
    int distinct() {
        return firstArrival.size();
    }

    /** When {@code webhookId} first arrived (epoch ms), or null. */
    Long arrivalOf(String webhookId) {
        return firstArrival.get(webhookId);
    }

    /** First arrival times (epoch ms), sorted. */
    List<Long> arrivals() {
        List<Long> all = new ArrayList<>(firstArrival.values());
        all.sort(Long::compare);
        return all;
    }

    /** Forgets the ids seen so far; what nginx writes from now on is counted afresh. */
    void clear() throws IOException {
        refresh();
        firstArrival.clear();
    }
}
