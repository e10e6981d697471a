package io.callhook.store.cli;

import picocli.CommandLine.Command;

/** {@code callhook-cli dead-letters ...}: groups the dead-letter commands; does nothing itself. */
@Command(name = "dead-letters", description = "Inspect and replay webhooks that ran out of retries.",
        subcommands = {ListDeadLetters.class, ReplayDeadLetters.class, ReplayStatus.class})
final class DeadLettersCommand {
}
