package io.callhook.dispatcher.engine;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The connections of one destination (scheme, host, port), shared fairly between the lanes that
 * send there. Many subscriptions often point at one host (a CRM's webhook endpoint): with 1,000
 * lanes of 16 requests in flight each and 32 pooled connections, requests would wait in the HTTP
 * client's pool until the connect timeout and fail as if the endpoint were down, opening the
 * lanes' breakers. Here a lane takes a slot before it sends and gives it back when the attempt
 * ends, so the HTTP client never has more requests for a destination than connections, and its
 * connect timeout measures a real connect.
 *
 * <p>Fair: when a destination is busy, the lanes that wait are served in turn, one slot at a time
 * (a lane that wants another goes to the back of the queue), so a lane with thousands of
 * requests cannot starve one with a few. Waiting here is back-pressure, never a failed attempt.
 *
 * <p>Thread-safe; the grant callback runs on the thread that frees the slot, outside the lock.
 *
 * @param <W> who waits (the engine's lanes)
 */
final class DestinationSlots<W> {

    private final int perDestination;
    private final BiConsumer<W, String> granted;
    private final Map<String, Destination<W>> destinations = new HashMap<>();

    private static final class Destination<W> {
        int inUse;
        final ArrayDeque<W> waiting = new ArrayDeque<>();
        final Set<W> queued = new HashSet<>();
    }

    /**
     * @param perDestination slots per destination: the HTTP client's connections per destination
     * @param granted        called with a waiter and its destination when a freed slot is handed to it;
     *                       the waiter then owns the slot and must {@link #release} it
     */
    DestinationSlots(int perDestination, BiConsumer<W, String> granted) {
        if (perDestination < 1) {
            throw new IllegalArgumentException("perDestination must be at least 1, was " + perDestination);
        }
        this.perDestination = perDestination;
        this.granted = granted;
    }

    /**
     * Takes a slot of the destination if one is free and nobody waits for it; otherwise queues the
     * waiter (once) to be {@linkplain #granted granted} the next free slot in turn.
     */
    synchronized boolean tryAcquire(String destination, W waiter) {
        Destination<W> state = destinations.computeIfAbsent(destination, key -> new Destination<>());
        if (state.inUse < perDestination && state.waiting.isEmpty()) {
            state.inUse++;
            return true;
        }
        if (state.queued.add(waiter)) {
            state.waiting.add(waiter);
        }
        return false;
    }

    /** Gives a slot back: to the waiter that has waited longest, or to the pool. */
    void release(String destination) {
        W next;
        synchronized (this) {
            Destination<W> state = destinations.get(destination);
            if (state == null || state.inUse == 0) {
                throw new IllegalStateException("released a slot of " + destination + " that was not taken");
            }
            next = state.waiting.poll();
            if (next == null) {
                state.inUse--;
                if (state.inUse == 0) {
                    destinations.remove(destination);
                }
                return;
            }
            state.queued.remove(next);
        }
        granted.accept(next, destination);
    }

    /** Slots in use at a destination (for tests and metrics). */
    synchronized int inUse(String destination) {
        Destination<W> state = destinations.get(destination);
        return state == null ? 0 : state.inUse;
    }

    /** Waiters queued across all destinations (for metrics). */
    synchronized int waiting() {
        return destinations.values().stream().mapToInt(state -> state.waiting.size()).sum();
    }

    /**
     * The destination a URL's requests share connections at: {@code scheme://host:port}, host in
     * lower case, the default port filled in. A URL that cannot be read is its own destination
     * (its attempt fails at once as an invalid URL).
     */
    static String destinationOf(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost();
            if (host == null) {
                return url;
            }
            int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
            return scheme + "://" + host.toLowerCase(Locale.ROOT) + ":" + port;
        } catch (URISyntaxException e) {
            return url;
        }
    }
}
