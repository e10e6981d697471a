package io.callhook.store.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code dead-letters replay-status REPLAY_ID}: {@code GET /dead-letters/replays/{id}}. */
@Command(name = "replay-status", description = "Show how a replay went (one still running when 'replay' answered).")
final class ReplayStatus extends ApiCommand {

    @Parameters(paramLabel = "REPLAY_ID", description = "Replay id, as 'replay' printed it (rpl_...).")
    String replayId;

    @Override
    ApiRequest request() {
        return ApiRequest.get("/dead-letters/replays/" + ApiRequest.segment(replayId), Map.of());
    }

    @Override
    void render(JsonNode answer, PrintWriter out) {
        ReplayDeadLetters.printReplay(answer, out);
    }
}
