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
        printReplay(answer, out);
    }

    /** A replay job as the store reports it (API.md): done, still running, or failed. */
    static void printReplay(JsonNode replay, PrintWriter out) {
        String id = Json.text(replay, "replayId");
        String subscription = Json.text(replay, "subscriptionId");
        switch (replay.path("state").asText()) {
            case "RUNNING" -> out.println("Replay " + id + " of subscription " + subscription
                    + " is still running; ask how it went with: dead-letters replay-status " + id);
            case "FAILED" -> out.println("Replay " + id + " of subscription " + subscription + " failed: "
                    + Json.text(replay, "error"));
            default -> out.println("Replayed " + Json.text(replay, "replayed") + " dead letters of subscription " + subscription
                    + " (" + Json.text(replay, "alreadyReplayed") + " replayed before, not sent again)"
                    + (replay.path("complete").asBoolean(true) ? "" : "; more remain: run the same replay again"));
        }
    }
}
