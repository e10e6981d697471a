package io.callhook.store.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code dead-letters replay --subscription ID [--from T] [--to T]}: {@code POST /dead-letters/replay}. */
@Command(name = "replay", description = "Send a subscription's dead letters back into delivery.")
final class ReplayDeadLetters extends ApiCommand {

    @Option(names = "--subscription", paramLabel = "ID", required = true, description = "Subscription id.")
    String subscription;

    @Option(names = "--from", paramLabel = "TIME", description = "Only those dead at or after, e.g. 2026-11-23T09:00:00Z.")
    Instant from;

    @Option(names = "--to", paramLabel = "TIME", description = "Only those dead before, e.g. 2026-11-23T10:00:00Z.")
    Instant to;

    @Override
    ApiRequest request() {
        if (from != null && to != null && from.isAfter(to)) {
            throw new ParameterException(spec.commandLine(), "--from " + from + " is after --to " + to);
        }
        ObjectNode body = Json.object();
        body.put("subscriptionId", subscription);
        if (from != null) {
            body.put("from", from.toString());
        }
        if (to != null) {
            body.put("to", to.toString());
        }
        return ApiRequest.post("/dead-letters/replay", body);
    }

    @Override
    void render(JsonNode answer, PrintWriter out) {
        out.println("Replayed " + Json.text(answer, "replayed") + " dead letters of subscription " + Table.safe(subscription));
    }
}
