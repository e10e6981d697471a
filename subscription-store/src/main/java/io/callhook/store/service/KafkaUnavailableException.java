package io.callhook.store.service;

/**
 * A change the store could not write because Kafka did not answer (a broker outage): the caller
 * is told to try again shortly (503 with {@code Retry-After}), and the log gets one line, not a
 * stack trace per request. {@link #getMessage()} is for the caller: it says whether the change
 * is known not to be saved.
 */
public final class KafkaUnavailableException extends RuntimeException {

    KafkaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
