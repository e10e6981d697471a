/**
 * When to retry a failed webhook, as pure functions (time passed in, randomness injected), so
 * every rule is tested without clocks or sleeps.
 *
 * <ul>
 *   <li>{@link io.callhook.dispatcher.retry.RetrySchedule}: delays before each retry (Svix's by
 *       default), parsed from config, with ±20% jitter;</li>
 *   <li>{@link io.callhook.dispatcher.retry.RetryAfter}: the {@code Retry-After} header, both
 *       forms, and the bounds put on it;</li>
 *   <li>{@link io.callhook.dispatcher.retry.RetryTiers}: one tier topic per distinct delay, and
 *       which tier a waiting retry goes to;</li>
 *   <li>{@link io.callhook.dispatcher.retry.FailureKind} and
 *       {@link io.callhook.dispatcher.retry.RetryDecision}: from a failed attempt to "retry at
 *       this time in this tier" or "exhausted".</li>
 * </ul>
 */
package io.callhook.dispatcher.retry;
