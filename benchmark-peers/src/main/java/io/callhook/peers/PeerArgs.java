package io.callhook.peers;

import java.util.HashMap;
import java.util.Map;

/**
 * What every peer is told on its command line: where the broker is, which topic to read with
 * which (fresh) consumer group, and the receiver's base URL, to which each record's key is
 * appended, as each subscription has its own URL.
 */
record PeerArgs(String bootstrap, String topic, String group, String baseUrl) {

    static PeerArgs parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("Expected --name value pairs, got '" + args[i] + "'");
            }
            values.put(args[i].substring(2), args[++i]);
        }
        return new PeerArgs(required(values, "bootstrap"), required(values, "topic"), required(values, "group"),
                required(values, "url"));
    }

    private static String required(Map<String, String> values, String name) {
        String value = values.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Missing --" + name
                    + " (usage: --bootstrap host:port --topic T --group G --url http://127.0.0.1:port/hooks/)");
        }
        return value;
    }

    /** The URL of one record: the base URL and the record's key (a subscription id). */
    String urlOf(String key) {
        return baseUrl + key;
    }
}
