/**
 * A local stand-in for webhook.site, so the demo shows delivered webhooks without leaving the
 * machine: {@link io.callhook.demo.inspector.WebhookInspector} records every request under
 * {@code /hooks/}, checks its Standard Webhooks signature when it knows the path's secret, and
 * serves the latest ones as JSON ({@code /api/webhooks}) and as a self-refreshing page ({@code /}).
 *
 * <p>It deliberately shares no code with the dispatcher: the signature check here is written from
 * the specification, so a signing bug in the dispatcher shows up as INVALID instead of being
 * mirrored by the same code on both ends.
 */
package io.callhook.demo.inspector;
