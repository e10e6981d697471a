package io.callhook.body;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One documented leaf parameter of the webhook body: its dotted path (e.g.
 * {@code visit_info.udata.uag}) and how its value is taken from the call. The value is a
 * {@link String}, an {@link Integer}, a {@link Long} or null; never a made-up default.
 *
 * @param path dotted path, the name customers use in renames
 * @param segments the path split on dots, kept so the hot path never splits strings
 * @param extractor the value of this key for one call
 */
public record DocumentedKey(String path, List<String> segments, Function<EnrichedCall, Object> extractor) {

    public DocumentedKey {
        Objects.requireNonNull(path, "path");
        segments = List.copyOf(segments);
        Objects.requireNonNull(extractor, "extractor");
    }

    /** A key at {@code path}, its segments derived from the dots. */
    public static DocumentedKey of(String path, Function<EnrichedCall, Object> extractor) {
        return new DocumentedKey(path, DocumentedKeys.segmentsOf(path), extractor);
    }

    /** The value of this key for {@code call}. */
    public Object valueOf(EnrichedCall call) {
        return extractor.apply(call);
    }
}
