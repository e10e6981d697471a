package io.callhook.service;

import java.util.List;

/**
 * The one key, shared by every service, that lets webhooks reach addresses the SSRF guard
 * refuses by default (loopback, private, link-local...). Empty in production; tests and the
 * local demo allow loopback with it.
 */
public final class AllowedAddresses {

    public static final ConfigKey<List<String>> KEY = ConfigKey.stringList("callhook.net.allow-addresses",
            "CIDR ranges webhooks may be sent to although the SSRF guard refuses them, e.g. 127.0.0.0/8,::1/128 "
                    + "for a local demo. Empty: only public addresses.")
            .withDefault("");

    private AllowedAddresses() {
    }
}
