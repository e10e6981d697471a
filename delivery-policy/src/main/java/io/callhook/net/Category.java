package io.callhook.net;

/**
 * Why a destination is refused. Each constant is a stable name for metrics and logs; the
 * address ranges behind each are listed in {@link AddressPolicy}.
 */
public enum Category {
    /** 127.0.0.0/8, ::1, and the names {@code localhost} and {@code *.localhost}. */
    LOOPBACK("a loopback"),
    /** RFC 1918 networks, IPv6 unique local fc00::/7 and local-use NAT64 64:ff9b:1::/48. */
    PRIVATE("a private"),
    /** 169.254.0.0/16 (including the cloud metadata service 169.254.169.254) and fe80::/10. */
    LINK_LOCAL("a link-local"),
    /** 224.0.0.0/4 and ff00::/8. */
    MULTICAST("a multicast"),
    /** 0.0.0.0/8 and ::, which many stacks treat as "this host". */
    UNSPECIFIED("an unspecified"),
    /** 100.64.0.0/10, carrier-grade NAT space shared between a provider and its customers. */
    SHARED("a shared (carrier-grade NAT)"),
    /** IANA special-purpose space that is not globally reachable: documentation, benchmarking,
     *  future use, broadcast, protocol assignments, Teredo, site-local, unallocated IPv6. */
    RESERVED("a reserved"),
    /** Only from URL checks: the host cannot be read safely (malformed, ambiguous, zone id,
     *  a number that is not a valid IPv4 address, unsupported scheme). */
    INVALID_HOST("an invalid");

    private final String phrase;

    Category(String phrase) {
        this.phrase = phrase;
    }

    /** "a private", "an unspecified"...: reasons read "10.0.0.1 is a private address". */
    String phrase() {
        return phrase;
    }
}
