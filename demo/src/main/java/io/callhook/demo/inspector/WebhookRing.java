package io.callhook.demo.inspector;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The latest received webhooks, oldest dropped first, numbered in arrival order. Thread-safe:
 * Vert.x may run the HTTP server on several event loops, and the runner reads from its own thread.
 */
final class WebhookRing {

    private final int capacity;
    private final ArrayDeque<ReceivedWebhook> kept;
    private long received;

    WebhookRing(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.kept = new ArrayDeque<>(capacity);
    }

    int capacity() {
        return capacity;
    }

    /** Numbers the request and keeps it, dropping the oldest when full; returns it numbered. */
    synchronized ReceivedWebhook add(ReceivedWebhook webhook) {
        // Numbered under the lock, so numbers and ring order always agree.
        ReceivedWebhook numbered = webhook.numbered(++received);
        if (kept.size() == capacity) {
            kept.removeFirst();
        }
        kept.addLast(numbered);
        return numbered;
    }

    /** Up to {@code limit} kept requests, newest first, only those to {@code path} when it is not null. */
    synchronized List<ReceivedWebhook> newest(int limit, String path) {
        List<ReceivedWebhook> found = new ArrayList<>(Math.min(limit, kept.size()));
        for (Iterator<ReceivedWebhook> it = kept.descendingIterator(); it.hasNext() && found.size() < limit; ) {
            ReceivedWebhook webhook = it.next();
            if (path == null || path.equals(webhook.path())) {
                found.add(webhook);
            }
        }
        return found;
    }

    synchronized Optional<ReceivedWebhook> get(long n) {
        ReceivedWebhook first = kept.peekFirst();
        if (first == null || n < first.n() || n > received) {
            return Optional.empty();
        }
        // Numbers in the ring are consecutive, so the position follows from the number.
        int index = (int) (n - first.n());
        Iterator<ReceivedWebhook> it = kept.iterator();
        for (int i = 0; i < index; i++) {
            it.next();
        }
        return Optional.of(it.next());
    }

    /** Forgets every kept request; numbering continues. Returns how many were dropped. */
    synchronized int clear() {
        int dropped = kept.size();
        kept.clear();
        return dropped;
    }

    synchronized int size() {
        return kept.size();
    }

    /** Requests received since start, including those dropped or cleared. */
    synchronized long received() {
        return received;
    }
}
