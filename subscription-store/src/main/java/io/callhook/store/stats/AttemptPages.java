package io.callhook.store.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callhook.model.AttemptOutcome;
import io.callhook.model.DeliveryAttempt;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How one store instance asks another for a page of an attempt log it keeps, and gets it back
 * whole: each attempt in Avro's JSON encoding, so nothing of the record (its request's place
 * included) is lost on the way.
 */
public final class AttemptPages {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AttemptPages() {
    }

    public static ObjectNode query(AttemptLog.Query query) {
        ObjectNode node = JSON.createObjectNode();
        node.put("subscriptionId", query.subscriptionId());
        node.put("before", query.before());
        node.put("limit", query.limit());
        node.put("outcome", query.outcome() == null ? null : query.outcome().name());
        if (query.callId() == null) {
            node.putNull("callId");
        } else {
            node.put("callId", query.callId());
        }
        node.put("attemptId", query.attemptId());
        return node;
    }

    /** The other side of {@link #query(AttemptLog.Query)}; throws IllegalArgumentException for a query no instance sends. */
    public static AttemptLog.Query query(JsonNode node) {
        String outcome = node.path("outcome").asText(null);
        return new AttemptLog.Query(node.path("subscriptionId").asText(), node.path("before").asText(null),
                node.path("limit").asInt(50), outcome == null ? null : AttemptOutcome.valueOf(outcome),
                node.hasNonNull("callId") ? node.get("callId").asLong() : null, node.path("attemptId").asText(null));
    }

    public static ObjectNode page(AttemptLog.Page page) {
        ObjectNode node = JSON.createObjectNode();
        ArrayNode attempts = node.putArray("attempts");
        page.attempts().forEach(attempt -> attempts.add(AvroJson.write(attempt)));
        node.put("next", page.next());
        return node;
    }

    /** The page another instance answered; empty when the answer cannot be read. */
    static Optional<AttemptLog.Page> page(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            List<DeliveryAttempt> attempts = new ArrayList<>();
            for (JsonNode attempt : node.path("attempts")) {
                attempts.add(AvroJson.read(DeliveryAttempt.class, DeliveryAttempt.getClassSchema(), attempt.asText()));
            }
            return Optional.of(new AttemptLog.Page(attempts, node.path("next").asText(null)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
