package io.callhook.store.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A command that makes one API call: {@link #request()} prepares it, the {@link StoreClient}
 * sends it, and the reply becomes output and an exit code here, the same way for every command.
 */
abstract class ApiCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** The call to make; may throw {@link picocli.CommandLine.ParameterException} for bad input. */
    abstract ApiRequest request();

    /**
     * Prints a successful answer for people.
     *
     * @param answer the parsed body, a {@link MissingNode} when there was none (204)
     */
    abstract void render(JsonNode answer, PrintWriter out);

    @Override
    public final Integer call() {
        CallhookCli cli = (CallhookCli) spec.root().userObject();
        ApiRequest request = request();
        StoreReply reply;
        try {
            reply = cli.client(spec).send(request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FailureMessages.interrupted(err());
        }
        try {
            return handle(reply, cli.json());
        } finally {
            out().flush();
            err().flush();
        }
    }

    private int handle(StoreReply reply, boolean json) {
        if (reply instanceof StoreReply.Unreachable unreachable) {
            return FailureMessages.unreachable(unreachable, err());
        }
        StoreReply.Answered answered = (StoreReply.Answered) reply;
        if (answered.refused()) {
            return FailureMessages.refused(answered, err());
        }
        if (!answered.succeeded()) {
            return FailureMessages.serverError(answered, err());
        }
        if (json) {
            printRaw(answered.body());
            return ExitCodes.OK;
        }
        Optional<JsonNode> answer = answered.body().isBlank() ? Optional.of(MissingNode.getInstance()) : Json.parse(answered.body());
        if (answer.isEmpty()) {
            return FailureMessages.notJson(answered, err());
        }
        render(answer.get(), out());
        return ExitCodes.OK;
    }

    private void printRaw(String body) {
        if (body.isEmpty()) {
            return;
        }
        out().print(body);
        if (!body.endsWith("\n")) {
            out().println();
        }
    }

    /** The path of a subscription (see {@link ApiRequest#subscriptionPath}); an empty id is a usage error. */
    String subscriptionPath(String id, String... more) {
        if (id.isBlank()) {
            throw new ParameterException(spec.commandLine(), "the subscription id is empty");
        }
        return ApiRequest.subscriptionPath(id, more);
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
