package io.callhook.store.cli;

import picocli.CommandLine.Parameters;

/** A command about one subscription: its id is the first parameter (picocli reads it in every subclass). */
abstract class SubscriptionCommand extends ApiCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "Subscription id.")
    String id;
}
