package io.callhook.store.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callhook.model.SubscriptionStats;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How one store instance asks another for the stats it keeps ({@code {"ids": [...]}}) and gets
 * them back whole ({@code {"stats": {id: <SubscriptionStats in Avro's JSON encoding>}}}).
 */
public final class StatsAnswers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StatsAnswers() {
    }

    static String question(Collection<String> ids) {
        ObjectNode body = JSON.createObjectNode();
        ids.forEach(body.putArray("ids")::add);
        return body.toString();
    }

    /** The ids of a question another instance asked. */
    public static List<String> ids(JsonNode question) {
        List<String> ids = new ArrayList<>();
        question.path("ids").forEach(id -> ids.add(id.asText()));
        return ids;
    }

    public static ObjectNode answer(Map<String, SubscriptionStats> stats) {
        ObjectNode answer = JSON.createObjectNode();
        ObjectNode all = answer.putObject("stats");
        stats.forEach((id, found) -> all.put(id, AvroJson.write(found)));
        return answer;
    }

    /** What another instance answered; what cannot be read is left out (reported as not available now). */
    static Map<String, SubscriptionStats> read(String answer) {
        Map<String, SubscriptionStats> stats = new HashMap<>();
        try {
            JSON.readTree(answer).path("stats").fields().forEachRemaining(entry -> {
                try {
                    stats.put(entry.getKey(), AvroJson.read(SubscriptionStats.class, SubscriptionStats.getClassSchema(),
                            entry.getValue().asText()));
                } catch (IOException | RuntimeException unreadable) {
                    // Left out: the caller reports it as not available and is asked again.
                }
            });
        } catch (IOException unreadable) {
            // Nothing read.
        }
        return stats;
    }
}
