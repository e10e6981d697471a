package io.callhook.store.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/** Subscriptions as tables: one per line in lists, one field per line in detail. */
final class SubscriptionTables {

    private SubscriptionTables() {
    }

    static void printList(JsonNode subscriptions, PrintWriter out) {
        Table table = Table.withHeaders("ID", "PRODUCT", "URL", "EVENTS", "SENT", "FAILED", "ENABLED");
        for (JsonNode s : subscriptions) {
            JsonNode counters = s.path("counters");
            table.row(Json.text(s, "id"), Json.text(s, "product"), Json.text(s, "url"), Json.list(s, "events"),
                    Json.text(counters, "sent"), Json.text(counters, "failed"), Json.yesNo(s, "enabled"));
        }
        table.print(out);
    }

    /** Every field, named as in the JSON so the two outputs are easy to relate. */
    static void printDetail(JsonNode s, PrintWriter out) {
        JsonNode counters = s.path("counters");
        Table table = Table.keyValues()
                .row("id", Json.text(s, "id"))
                .row("accountId", Json.text(s, "accountId"))
                .row("product", Json.text(s, "product"))
                .row("url", Json.text(s, "url"))
                .row("method", Json.text(s, "method"))
                .row("contentType", Json.text(s, "contentType"))
                .row("events", Json.list(s, "events"))
                .row("renames", Json.map(s, "renames"))
                .row("params", Json.map(s, "params"))
                .row("headers", Json.map(s, "headers"))
                .row("rateLimit", s.path("rateLimit").isNumber() ? s.path("rateLimit").asText() + "/s" : "none")
                .row("enabled", enabled(s));
        // Only create and rotate-secret answers carry it (the secret command asks for it).
        if (s.hasNonNull("secret")) {
            table.row("secret", Json.text(s, "secret"));
        }
        if (s.hasNonNull("previousSecretExpiresAt")) {
            table.row("previousSecretExpiresAt", Json.text(s, "previousSecretExpiresAt"));
        }
        table.row("createdAt", Json.text(s, "createdAt"))
                .row("updatedAt", Json.text(s, "updatedAt"))
                .row("sent", Json.text(counters, "sent"))
                .row("failed", Json.text(counters, "failed"))
                .row("lastAttempt", lastAttempt(counters))
                .print(out);
    }

    private static String enabled(JsonNode s) {
        String enabled = Json.yesNo(s, "enabled");
        return s.hasNonNull("disabledReason") ? enabled + " (" + Json.text(s, "disabledReason") + ")" : enabled;
    }

    private static String lastAttempt(JsonNode counters) {
        if (!counters.hasNonNull("lastAttemptAt")) {
            return Json.NONE;
        }
        return Json.text(counters, "lastAttemptAt") + " " + Json.text(counters, "lastOutcome")
                + " (status " + Json.text(counters, "lastStatus") + ")";
    }
}
