package io.callhook.dispatcher.publish;

/**
 * Where outcomes go, for whoever writes them (the engine's outcome handling, the dispatch loop's
 * records that cannot be read).
 *
 * @param publisher builds the writes of outcomes
 * @param writer    makes them, retrying what may land later and writing smaller records for what never can
 */
public record Outputs(Publisher publisher, OutcomeWriter writer) {
}
