package io.callhook.net;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a webhook may be delivered to an address: the SSRF guard's one rule, shared by
 * the subscription API, the stream processor and the dispatcher. Immutable and thread-safe;
 * never does DNS.
 *
 * <p>Refused ({@link Category}): loopback 127.0.0.0/8 and ::1; private 10/8, 172.16/12,
 * 192.168/16, fc00::/7 and 64:ff9b:1::/48; link-local 169.254/16 (the cloud metadata service
 * 169.254.169.254) and fe80::/10; multicast 224/4 and ff00::/8; unspecified 0/8 and ::; shared
 * 100.64/10; reserved 240/4 with 255.255.255.255, 192.0.0/24, 192.88.99/24, 198.18/15, the
 * documentation ranges 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32 and 3fff::/20,
 * 2001::/23 with Teredo 2001::/32 (refused outright, not decoded), 100::/64, 100:0:0:1::/64,
 * 5f00::/16, site-local fec0::/10, and all IPv6 outside global unicast 2000::/3.
 *
 * <p>An IPv6 address that carries an IPv4 address is judged as that IPv4 address: IPv4-mapped
 * ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d, IPv4-translated ::ffff:0:a.b.c.d, NAT64
 * 64:ff9b::/96 and 6to4 2002::/16.
 *
 * <p>The allowlist permits addresses in its ranges even when refused (tests and the local demo
 * allow loopback); an IPv4 range also permits IPv6 forms carrying an address in it. Production
 * uses {@link #STRICT}. Whoever builds a policy from configuration should log a non-empty
 * allowlist at start.
 *
 * <p>The dispatcher must connect to the very address it checked (resolve once, check, connect
 * to that address), or a name that resolves differently the second time (DNS rebinding) gets
 * past the check.
 */
public final class AddressPolicy {

    /** No exceptions: what production uses. */
    public static final AddressPolicy STRICT = new AddressPolicy(List.of());

    private static final byte[] LOCALHOST_IPV4 = {127, 0, 0, 1};
    private static final byte[] LOCALHOST_IPV6 = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

    private final List<Cidr> allowed;

    private AddressPolicy(List<Cidr> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    /** A policy permitting the given ranges even where they are refused; empty is {@link #STRICT}. */
    public static AddressPolicy of(List<Cidr> allow) {
        return allow.isEmpty() ? STRICT : new AddressPolicy(allow);
    }

    /**
     * A policy from a configured allowlist such as {@code "127.0.0.0/8,::1/128"}.
     *
     * @throws IllegalArgumentException naming the invalid entry, see {@link Cidr#parseList}
     */
    public static AddressPolicy allowing(String commaSeparatedCidrs) {
        return of(Cidr.parseList(commaSeparatedCidrs));
    }

    /** The ranges permitted even where refused. */
    public List<Cidr> allowed() {
        return allowed;
    }

    /** Whether the dispatcher may connect to this (resolved or literal) address. */
    public Verdict check(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (permits(bytes)) {
            return Verdict.ALLOWED;
        }
        Optional<EmbeddedIpv4> embedded = bytes.length == 16 ? EmbeddedIpv4.in(bytes) : Optional.empty();
        if (embedded.isPresent()) {
            return checkEmbedded(bytes, embedded.get());
        }
        return IpBlocks.find(bytes)
                .<Verdict>map(block -> refused(bytes, block, ""))
                .orElse(Verdict.ALLOWED);
    }

    /**
     * Applies the policy to a URL's host as far as can be done without DNS: a literal address is
     * checked (every reading of it, see {@link UrlHost.Literal#decimalReading}), a localhost name
     * is refused as {@link Category#LOOPBACK} unless the allowlist permits 127.0.0.1 or ::1, any
     * other name is allowed (its addresses are checked after resolution), and an invalid URL or
     * host is refused as {@link Category#INVALID_HOST}.
     */
    public Verdict check(UrlHost host) {
        if (host instanceof UrlHost.Literal literal) {
            return checkLiteral(literal);
        }
        if (host instanceof UrlHost.Name name) {
            return name.isLocalhost() ? checkLocalhost(name) : Verdict.ALLOWED;
        }
        return new Verdict.Refused(Category.INVALID_HOST, ((UrlHost.Invalid) host).reason());
    }

    /** {@link #check(UrlHost)} on {@link UrlHost#ofUrl(String)}. */
    public Verdict checkUrlHost(String url) {
        return check(UrlHost.ofUrl(url));
    }

    private Verdict checkEmbedded(byte[] ipv6, EmbeddedIpv4 embedded) {
        if (permits(embedded.ipv4())) {
            return Verdict.ALLOWED;
        }
        return IpBlocks.find(embedded.ipv4())
                .<Verdict>map(block -> refused(ipv6, block, embedded.form() + " " + AddressText.format(embedded.ipv4()) + ": "))
                .orElse(Verdict.ALLOWED);
    }

    private Verdict checkLiteral(UrlHost.Literal literal) {
        Verdict verdict = check(literal.address());
        if (verdict.isAllowed() && literal.decimalReading().isPresent()) {
            InetAddress decimal = literal.decimalReading().get();
            verdict = check(decimal);
            if (verdict instanceof Verdict.Refused refused) {
                verdict = new Verdict.Refused(refused.category(), "the host is " + AddressText.format(decimal.getAddress())
                        + " to parsers that read leading zeros as decimal, and " + refused.reason());
            }
        }
        return verdict;
    }

    private Verdict checkLocalhost(UrlHost.Name name) {
        // The dispatcher still checks whichever address the name resolves to.
        if (permits(LOCALHOST_IPV4) || permits(LOCALHOST_IPV6)) {
            return Verdict.ALLOWED;
        }
        return new Verdict.Refused(Category.LOOPBACK, name.host() + " is a loopback name (RFC 6761: it always means this host)");
    }

    private boolean permits(byte[] address) {
        return allowed.stream().anyMatch(range -> range.contains(address));
    }

    private static Verdict refused(byte[] address, IpBlocks.Block block, String via) {
        return new Verdict.Refused(block.category(),
                AddressText.format(address) + " is " + block.category().phrase() + " address (" + via + block.description() + ")");
    }
}
