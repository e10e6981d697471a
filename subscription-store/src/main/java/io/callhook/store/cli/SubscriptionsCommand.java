package io.callhook.store.cli;

import picocli.CommandLine.Command;

/** {@code callhook-cli subscriptions ...}: groups the subscription commands; does nothing itself. */
@Command(name = "subscriptions", description = "Create, inspect, change and test webhook subscriptions.",
        subcommands = {ListSubscriptions.class, GetSubscription.class, CreateSubscription.class,
                UpdateSubscription.class, DeleteSubscription.class, ShowSecret.class, RotateSecret.class, TestSubscription.class,
                ListAttempts.class, ResendAttempt.class})
final class SubscriptionsCommand {
}
