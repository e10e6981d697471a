package io.callhook.enricher.fanout;

import io.callhook.body.BodyOptions;
import io.callhook.body.Validated;
import io.callhook.model.BodyFormat;
import io.callhook.model.HttpMethod;
import io.callhook.model.AccountSubscription;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parsed body options by their inputs. Parsing renames is cheap but not free, and the same few
 * option sets are rendered for every call, so they are parsed once. Keyed by content rather
 * than by subscription id: an updated subscription gets new options without invalidation.
 * Shared by the stream threads, hence concurrent; cleared wholesale if it ever grows large.
 */
final class BodyOptionsCache {

    private static final int MAX_ENTRIES = 10_000;

    private record Key(BodyFormat format, HttpMethod method, Map<String, String> renames, Map<String, String> params) {
    }

    private final Map<Key, Validated<BodyOptions>> parsed = new ConcurrentHashMap<>();

    Validated<BodyOptions> of(AccountSubscription subscription) {
        Key key = new Key(subscription.getFormat(), subscription.getMethod(),
                subscription.getRenames(), subscription.getParams());
        Validated<BodyOptions> options = parsed.get(key);
        if (options == null) {
            if (parsed.size() >= MAX_ENTRIES) {
                parsed.clear();
            }
            options = BodyOptions.validate(key.format(), key.method(), key.renames(), key.params());
            parsed.put(key, options);
        }
        return options;
    }
}
