package io.callhook.dispatcher.publish;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One record an outcome needs on the broker, and what to write instead if this one can never be
 * written (a smaller record saying why), so that every outcome ends. Run by {@link OutcomeWriter}.
 *
 * @param what    for logs: which record, e.g. "attempt msg_1/2"
 * @param send    sends the record; called again only for this write when it failed and may succeed later
 * @param instead given why this write can never succeed, the write to make in its place, or empty
 *                when there is nothing smaller to write (the failure is then logged and the outcome ends)
 */
public record Write(String what, Supplier<CompletableFuture<Void>> send, Function<Throwable, Optional<Write>> instead) {

    public Write {
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(send, "send");
        Objects.requireNonNull(instead, "instead");
    }

    /** A write with nothing smaller to fall back to. */
    public static Write of(String what, Supplier<CompletableFuture<Void>> send) {
        return new Write(what, send, failure -> Optional.empty());
    }

    /** This write, falling back to {@code fallback(failure)} if it can never succeed. */
    public Write orElse(Function<Throwable, Write> fallback) {
        return new Write(what, send, failure -> Optional.of(fallback.apply(failure)));
    }
}
