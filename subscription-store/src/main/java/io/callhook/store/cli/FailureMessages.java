package io.callhook.store.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Optional;

/** Messages on stderr for calls that did not succeed, each returning its exit code. */
final class FailureMessages {

    private static final String PROGRAM = "callhook-cli: ";
    private static final int EXCERPT = 200;

    private FailureMessages() {
    }

    static int unreachable(StoreReply.Unreachable reply, PrintWriter err) {
        err.println(PROGRAM + "cannot reach the subscription store at " + reply.uri() + ": " + Table.safe(reply.reason()));
        return ExitCodes.FAILED;
    }

    /** 4xx: the server's {@code error}, then each of its {@code problems}, one per line. */
    static int refused(StoreReply.Answered reply, PrintWriter err) {
        Optional<JsonNode> body = Json.parse(reply.body()).filter(JsonNode::isObject);
        err.println(PROGRAM + errorText(reply, body) + " (HTTP " + reply.status() + ")");
        body.map(b -> b.path("problems")).filter(JsonNode::isArray)
                .ifPresent(problems -> problems.forEach(p -> err.println("  " + Table.safe(p.asText()))));
        if (reply.status() == 401) {
            err.println("  give a token with --token or " + CallhookCli.TOKEN_ENV);
        }
        return ExitCodes.REFUSED;
    }

    static int serverError(StoreReply.Answered reply, PrintWriter err) {
        Optional<JsonNode> body = Json.parse(reply.body()).filter(JsonNode::isObject);
        err.println(PROGRAM + "the subscription store at " + reply.uri() + " answered HTTP " + reply.status()
                + ": " + errorText(reply, body));
        return ExitCodes.FAILED;
    }

    static int notJson(StoreReply.Answered reply, PrintWriter err) {
        err.println(PROGRAM + "the subscription store at " + reply.uri() + " answered HTTP " + reply.status()
                + " with a body that is not JSON: " + excerpt(reply.body()));
        return ExitCodes.FAILED;
    }

    static int interrupted(PrintWriter err) {
        err.println(PROGRAM + "interrupted");
        err.flush();
        return ExitCodes.FAILED;
    }

    private static String errorText(StoreReply.Answered reply, Optional<JsonNode> body) {
        return body.map(b -> b.path("error")).filter(JsonNode::isTextual).map(e -> Table.safe(e.asText()))
                .orElseGet(() -> reply.body().isBlank() ? "no details" : excerpt(reply.body()));
    }

    private static String excerpt(String body) {
        String oneLine = body.strip().replaceAll("\\s+", " ");
        return Table.safe(oneLine.length() > EXCERPT ? oneLine.substring(0, EXCERPT) + "..." : oneLine);
    }
}
