/**
 * The webhook body contract: the documented parameters of BRIEF's table, and how one call
 * becomes the bytes sent to one subscription.
 *
 * <ul>
 *   <li>{@link io.callhook.body.EnrichedCall} (call + visit + {@link io.callhook.body.Geo}) is
 *       the input;</li>
 *   <li>{@link io.callhook.body.DocumentedKeys} is the one list of documented key paths and how
 *       each value is taken from the input;</li>
 *   <li>{@link io.callhook.body.WebhookBody} is the ordered tree, built once per call;</li>
 *   <li>{@link io.callhook.body.BodyOptions#validate} checks a subscription's format, method,
 *       renamed keys ({@link io.callhook.body.KeyRenames}) and static params, returning a
 *       {@link io.callhook.body.Validated};</li>
 *   <li>{@link io.callhook.body.WebhookBodyRenderer} renders the tree per subscription into a
 *       {@link io.callhook.body.RenderedWebhook} (JSON, form, or GET query string).</li>
 * </ul>
 */
package io.callhook.body;
