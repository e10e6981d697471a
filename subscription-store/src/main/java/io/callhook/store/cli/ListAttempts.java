package io.callhook.store.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code subscriptions attempts ID [--limit N] [--before CURSOR] [--outcome O] [--call-id C]}:
 * {@code GET /subscriptions/{id}/attempts}, newest first, a page at a time.
 */
@Command(name = "attempts", description = "Show a subscription's delivery attempts, newest first, a page at a time.")
final class ListAttempts extends SubscriptionCommand {

    private static final int MAX_DETAIL = 60;

    @Option(names = "--limit", paramLabel = "N", description = "At most N attempts (default: the store's, 50).")
    Integer limit;

    @Option(names = "--before", paramLabel = "CURSOR", description = "The page after the one that printed this cursor.")
    String before;

    @Option(names = "--outcome", paramLabel = "OUTCOME",
            description = "Only attempts of this outcome: DELIVERED, RETRYING, DEAD_LETTERED, DISABLED or DROPPED.")
    String outcome;

    @Option(names = "--call-id", paramLabel = "CALL", description = "Only attempts of webhooks of this call.")
    Long callId;

    @Override
    ApiRequest request() {
        return ApiRequest.get(subscriptionPath(id, "attempts"), ApiRequest.query("limit", limit == null ? null : limit.toString(),
                "before", before, "outcome", outcome, "callId", callId == null ? null : callId.toString()));
    }

    @Override
    void render(JsonNode answer, PrintWriter out) {
        Table table = Table.withHeaders("STARTED", "ATTEMPT", "#", "CALL", "PHASE", "OUTCOME", "STATUS", "MS", "DETAIL");
        for (JsonNode a : answer.path("attempts")) {
            String call = Json.text(a, "callId") + (a.path("test").asBoolean() ? " (test)" : "");
            table.row(Json.text(a, "startedAt"), Json.text(a, "attemptId"), Json.text(a, "attemptNumber"), call,
                    Json.text(a, "phase"), Json.text(a, "outcome"), Json.text(a, "status"), Json.text(a, "latencyMs"),
                    detail(a));
        }
        table.print(out);
        if (answer.hasNonNull("next")) {
            out.println("Older attempts: add --before " + Table.safe(answer.get("next").asText()));
        }
    }

    /** The error when there was one, else what the receiver answered; cut so rows stay on one line. */
    private static String detail(JsonNode a) {
        String detail = a.hasNonNull("errorType")
                ? Json.text(a, "errorType") + (a.hasNonNull("errorMessage") ? ": " + Json.text(a, "errorMessage") : "")
                : Json.text(a, "responseExcerpt");
        String oneLine = detail.replaceAll("\\s+", " ");
        return oneLine.length() > MAX_DETAIL ? oneLine.substring(0, MAX_DETAIL - 3) + "..." : oneLine;
    }
}
