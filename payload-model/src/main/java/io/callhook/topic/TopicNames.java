package io.callhook.topic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The names of Callhook's topics, from config keys {@code callhook.topic.*} with the defaults of
 * the architecture. Validated when built: a bad name fails at start, naming the key.
 *
 * @param callEvents    call events from the telephony backend
 * @param visits        visit snapshots from the site tracker (compacted)
 * @param subscriptions webhook subscriptions (compacted)
 * @param outbound      rendered webhooks to deliver
 * @param retryPrefix   prefix of the retry tier topics ({@code <prefix><tier>})
 * @param attempts      delivery attempts
 * @param deadLetters   records that could not be processed or delivered
 */
public record TopicNames(String callEvents, String visits, String subscriptions, String outbound,
                         String retryPrefix, String attempts, String deadLetters) {

    public static final String PREFIX = "callhook.topic.";
    public static final String CALL_EVENTS = PREFIX + "call-events";
    public static final String VISITS = PREFIX + "visits";
    public static final String SUBSCRIPTIONS = PREFIX + "subscriptions";
    public static final String OUTBOUND = PREFIX + "outbound";
    public static final String RETRY_PREFIX = PREFIX + "retry-prefix";
    public static final String ATTEMPTS = PREFIX + "attempts";
    public static final String DEAD_LETTERS = PREFIX + "dead-letters";

    /** Defaults of the architecture. */
    public static final TopicNames DEFAULTS = new TopicNames("calls.events", "visits", "webhooks.subscriptions",
            "webhooks.outbound", "webhooks.retry.", "webhooks.attempts", "webhooks.dead-letter");

    // Kafka's own rule for topic names (org.apache.kafka.common.internals.Topic).
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    /** Reads the names from config, falling back to {@link #DEFAULTS} key by key. */
    public static TopicNames fromConfig(Map<String, String> config) {
        TopicNames names = new TopicNames(
                config.getOrDefault(CALL_EVENTS, DEFAULTS.callEvents),
                config.getOrDefault(VISITS, DEFAULTS.visits),
                config.getOrDefault(SUBSCRIPTIONS, DEFAULTS.subscriptions),
                config.getOrDefault(OUTBOUND, DEFAULTS.outbound),
                config.getOrDefault(RETRY_PREFIX, DEFAULTS.retryPrefix),
                config.getOrDefault(ATTEMPTS, DEFAULTS.attempts),
                config.getOrDefault(DEAD_LETTERS, DEFAULTS.deadLetters));
        List<String> errors = names.errors();
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return names;
    }

    /** The names under their config keys: the inverse of {@link #fromConfig}. */
    public Map<String, String> asConfig() {
        return Map.of(CALL_EVENTS, callEvents, VISITS, visits, SUBSCRIPTIONS, subscriptions, OUTBOUND, outbound,
                RETRY_PREFIX, retryPrefix, ATTEMPTS, attempts, DEAD_LETTERS, deadLetters);
    }

    /** Same names, each prefixed: lets tests on a shared broker keep their topics apart. */
    public TopicNames withPrefix(String prefix) {
        return new TopicNames(prefix + callEvents, prefix + visits, prefix + subscriptions, prefix + outbound,
                prefix + retryPrefix, prefix + attempts, prefix + deadLetters);
    }

    /** The retry tier topic for a tier suffix, e.g. {@code webhooks.retry.5s}. */
    public String retryTier(String suffix) {
        return retryPrefix + suffix;
    }

    private List<String> errors() {
        List<String> errors = new ArrayList<>();
        check(errors, CALL_EVENTS, callEvents);
        check(errors, VISITS, visits);
        check(errors, SUBSCRIPTIONS, subscriptions);
        check(errors, OUTBOUND, outbound);
        check(errors, RETRY_PREFIX, retryPrefix + "x");
        check(errors, ATTEMPTS, attempts);
        check(errors, DEAD_LETTERS, deadLetters);
        List<String> all = List.of(callEvents, visits, subscriptions, outbound, attempts, deadLetters);
        if (all.stream().distinct().count() != all.size()) {
            errors.add("topic names under " + PREFIX + "* must differ from each other: " + all);
        }
        return errors;
    }

    private static void check(List<String> errors, String key, String value) {
        if (value == null || !LEGAL.matcher(value).matches() || value.equals(".") || value.equals("..")) {
            errors.add(key + " = '" + value + "' is not a legal Kafka topic name "
                    + "(letters, digits, '.', '_', '-'; at most 249 characters)");
        }
    }
}
