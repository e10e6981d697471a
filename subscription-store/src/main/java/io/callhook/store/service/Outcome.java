package io.callhook.store.service;

import java.util.List;

/** The result of a request to the service, for the HTTP layer to turn into a status. */
public sealed interface Outcome<T> {

    record Done<T>(T value) implements Outcome<T> {
    }

    /** The input breaks rules; every problem names its field (400). */
    record Refused<T>(List<String> problems) implements Outcome<T> {
    }

    /** A limit of the account is reached (409); the message says which. */
    record Exceeded<T>(String message) implements Outcome<T> {
    }

    /** No such subscription, or not the caller's (404). */
    record NotFound<T>(String id) implements Outcome<T> {
    }
}
