package io.callhook.dispatcher.http;

import io.vertx.core.Future;

/**
 * The network half of a send: one HTTP exchange with an address the SSRF guard has already
 * passed. Behind an interface so that the guard's unit tests can prove, with a recording fake,
 * that a refused destination never reaches the network.
 */
interface Exchange extends AutoCloseable {

    /**
     * Sends the request to the destination and reads the response.
     *
     * @param startNanos when the attempt started, on the sender's clock: the request's timeout
     *                   and the reported latency count from here
     * @return never failed: every outcome is a {@link SendResult}
     */
    Future<SendResult> exchange(Destination destination, PreparedRequest request, long startNanos);

    @Override
    void close();
}
