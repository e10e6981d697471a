package io.callhook.store.cli;

import java.net.URI;

/** What came of sending an {@link ApiRequest}: an answer with any status, or none at all. */
sealed interface StoreReply {

    /** The URL that was called, for messages. */
    URI uri();

    /** The store answered; the status says whether it did what was asked. */
    record Answered(URI uri, int status, String body) implements StoreReply {

        boolean succeeded() {
            return status >= 200 && status < 300;
        }

        boolean refused() {
            return status >= 400 && status < 500;
        }
    }

    /** No answer: refused connection, unknown host, timeout. */
    record Unreachable(URI uri, String reason) implements StoreReply {
    }
}
