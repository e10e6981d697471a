package io.callhook.store.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code subscriptions list [--account ID]}: {@code GET /subscriptions?accountId=}. */
@Command(name = "list", description = "List an account's subscriptions.")
final class ListSubscriptions extends ApiCommand {

    @Option(names = "--account", paramLabel = "ID",
            description = "Account id; may be omitted with an account token, which sees only its own account.")
    Long account;

    @Override
    ApiRequest request() {
        return ApiRequest.get("/subscriptions", ApiRequest.query("accountId", account == null ? null : account.toString()));
    }

    @Override
    void render(JsonNode answer, PrintWriter out) {
        SubscriptionTables.printList(answer.path("subscriptions"), out);
    }
}
