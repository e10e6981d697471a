package io.callhook.dispatcher.http;

/**
 * A lookup refused at once because its tenant already has as many lookups waiting as the
 * resolver takes: the attempt fails now ({@link SendResult.ConnectionFault#RESOLVER_BUSY}) rather than
 * wait, and is retried on the schedule. It says nothing about the receiver.
 */
public final class ResolverBusyException extends RuntimeException {

    public ResolverBusyException(String message) {
        super(message, null, false, false);
    }
}
