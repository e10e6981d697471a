package io.callhook.service;

import io.callhook.net.AddressPolicy;
import io.callhook.net.Cidr;
import io.callhook.subscription.UrlCheck;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one key, shared by every service, that lets webhooks reach addresses the SSRF guard
 * refuses by default (loopback, private, link-local...). Empty in production; tests and the
 * local demo allow loopback with it.
 */
public final class AllowedAddresses {

    private static final Logger LOG = LoggerFactory.getLogger(AllowedAddresses.class);

    public static final ConfigKey<List<String>> KEY = ConfigKey.stringList("callhook.net.allow-addresses",
            "CIDR ranges webhooks may be sent to although the SSRF guard refuses them, e.g. 127.0.0.0/8,::1/128 "
                    + "for a local demo. Empty: only public addresses.")
            .withDefault("");

    private AllowedAddresses() {
    }

    /** The SSRF guard's policy with the configured allowlist; a malformed range fails naming the key. */
    public static AddressPolicy policy(Config config) {
        List<String> ranges = config.get(KEY);
        List<Cidr> allowed;
        try {
            allowed = ranges.stream().map(Cidr::parse).toList();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(KEY.name() + ": " + e.getMessage(), e);
        }
        if (!allowed.isEmpty()) {
            LOG.warn("Webhooks may go to addresses the SSRF guard refuses by default: {} ({})", allowed, KEY.name());
        }
        return AddressPolicy.of(allowed);
    }

    /** The policy as a check of subscription URLs' hosts, as far as it can be told without DNS. */
    public static UrlCheck urlCheck(AddressPolicy policy) {
        return url -> policy.checkUrlHost(url).refusalReason();
    }
}
