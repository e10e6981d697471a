package io.callhook.store.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dead-letters list --subscription ID}: {@code GET /dead-letters?subscriptionId=}, newest first. */
@Command(name = "list", description = "List a subscription's dead letters, newest first.")
final class ListDeadLetters extends ApiCommand {

    @Option(names = "--subscription", paramLabel = "ID", required = true, description = "Subscription id.")
    String subscription;

    @Override
    ApiRequest request() {
        return ApiRequest.get("/dead-letters", ApiRequest.query("subscriptionId", subscription));
    }

    @Override
    void render(JsonNode answer, PrintWriter out) {
        Table table = Table.withHeaders("DEAD AT", "WEBHOOK", "CALL", "PHASE", "ATTEMPTS", "REASON CODE", "REASON");
        for (JsonNode d : answer.path("deadLetters")) {
            table.row(Json.text(d, "deadAt"), Json.text(d, "webhookId"), Json.text(d, "callId"), Json.text(d, "phase"),
                    Json.text(d, "attempts"), Json.text(d, "reasonCode"), Json.text(d, "reason"));
        }
        table.print(out);
    }
}
