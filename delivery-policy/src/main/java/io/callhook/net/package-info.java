/**
 * The SSRF guard's address logic: which addresses a webhook may be delivered to, decided without
 * any DNS lookup or network access.
 *
 * <ul>
 *   <li>{@link io.callhook.net.AddressPolicy} judges an {@link java.net.InetAddress} (the
 *       dispatcher calls it for every resolved address before connecting) or a URL's host (the
 *       subscription API and the stream processor call it on subscription URLs);</li>
 *   <li>{@link io.callhook.net.Verdict} is the typed answer, a refusal carrying a
 *       {@link io.callhook.net.Category} for metrics and a reason naming the address;</li>
 *   <li>{@link io.callhook.net.UrlHost} reads a URL's host the way lenient parsers do (every
 *       IPv4 form of the WHATWG URL standard, bracketed IPv6, percent-encoding, IDN) and says
 *       whether it is a literal address, a DNS name or invalid;</li>
 *   <li>{@link io.callhook.net.Cidr} is one range of the allowlist, parsed from configuration.</li>
 * </ul>
 *
 * <p>Nothing in this package resolves a name: addresses are built from bytes with
 * {@link java.net.InetAddress#getByAddress(byte[])}, and names are returned to the caller, who
 * resolves them and checks each resolved address again.
 */
package io.callhook.net;
