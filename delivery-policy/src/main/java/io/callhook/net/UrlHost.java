package io.callhook.net;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What a URL's host is, found without DNS: a literal address, a DNS name, or invalid.
 *
 * <p>The host is read the way the most lenient parsers read it (the WHATWG URL standard, which
 * browsers, curl and glibc's {@code inet_aton} follow for IPv4), so that "http://0x7f.1/" or
 * "http://2130706433/" is known to mean 127.0.0.1 even if a stricter parser would have taken
 * it for a name. Where parsers disagree in ways that matter, the URL is {@link Invalid} rather
 * than read one way: a backslash, more than one '@', whitespace, anything but "//" after the
 * scheme. A host that ends in a number but is not a valid IPv4 address (999.1.1.1, 1.2.3.4.5)
 * is invalid, never a name. Only http and https URLs are accepted.
 */
public sealed interface UrlHost permits UrlHost.Literal, UrlHost.Name, UrlHost.Invalid {

    /** The host of an absolute http or https URL. A null URL is {@link Invalid}. */
    static UrlHost ofUrl(String url) {
        return UrlAuthority.hostOf(url);
    }

    /**
     * A host as written in a URL's authority: a bracketed IPv6 literal, or text that may be
     * percent-encoded or international.
     */
    static UrlHost ofHost(String host) {
        return HostParser.parse(host);
    }

    /**
     * The host is an IP address.
     *
     * @param address        the address as the WHATWG URL standard reads the host
     * @param decimalReading present when the host has a part with a leading zero and parsers
     *                       that read such parts as decimal (Netty, older JDKs) get a different
     *                       address: "010.0.0.1" is 8.0.0.1 to the standard but 10.0.0.1 to them
     */
    record Literal(InetAddress address, Optional<InetAddress> decimalReading) implements UrlHost {
        public Literal {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(decimalReading, "decimalReading");
        }

        public Literal(InetAddress address) {
            this(address, Optional.empty());
        }

        /** Every address the host may be read as; a policy must accept all of them. */
        public List<InetAddress> readings() {
            return decimalReading.map(decimal -> List.of(address, decimal)).orElse(List.of(address));
        }
    }

    /**
     * The host is a DNS name, to be resolved and its addresses checked by whoever connects.
     *
     * @param host lower-case ASCII (international names in punycode), without a trailing dot
     */
    record Name(String host) implements UrlHost {
        public Name {
            Objects.requireNonNull(host, "host");
        }

        /**
         * Whether the name is {@code localhost} or ends in {@code .localhost}: RFC 6761 reserves
         * them for loopback, so they are refused without asking DNS.
         */
        public boolean isLocalhost() {
            // Also for names built elsewhere, which may keep the case or the trailing dot.
            String lower = host.toLowerCase(Locale.ROOT);
            lower = lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
            return lower.equals("localhost") || lower.endsWith(".localhost");
        }
    }

    /**
     * The URL or host cannot be read safely.
     *
     * @param reason for people; quotes the offending text
     */
    record Invalid(String reason) implements UrlHost {
        public Invalid {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
