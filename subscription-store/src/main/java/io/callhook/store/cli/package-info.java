/**
 * {@code callhook-cli}: a command-line client of the subscription store's HTTP API (API.md), for
 * scripts and the telephony team, plus offline minting of account tokens ({@link
 * io.callhook.store.api.AccountTokens}, which the store checks tokens with).
 *
 * <p>Each command prepares an {@link io.callhook.store.cli.ApiRequest}, {@link
 * io.callhook.store.cli.StoreClient} sends it and returns a typed {@link
 * io.callhook.store.cli.StoreReply}, and {@link io.callhook.store.cli.ApiCommand} turns that into
 * output and an exit code ({@link io.callhook.store.cli.ExitCodes}).
 *
 * <p>Unlike the services, this package prints to stdout and stderr rather than logging: the
 * printed text is the product. It prints through picocli's writers so tests capture it, and never
 * prints the bearer token.
 */
package io.callhook.store.cli;
