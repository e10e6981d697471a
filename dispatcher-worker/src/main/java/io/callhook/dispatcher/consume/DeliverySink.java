package io.callhook.dispatcher.consume;

import io.callhook.dispatcher.engine.Delivery;

/** Where the dispatch loop hands what it read: the delivery engine, or a fake in unit tests. */
public interface DeliverySink {

    /** Takes a request for delivery; thread-safe. */
    void submit(Delivery delivery);

    /** Requests taken and not yet finished, for the loop's back-pressure. */
    int buffered();
}
