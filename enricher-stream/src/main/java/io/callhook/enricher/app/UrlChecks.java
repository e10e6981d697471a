package io.callhook.enricher.app;

import io.callhook.net.AddressPolicy;
import io.callhook.net.Cidr;
import io.callhook.service.AllowedAddresses;
import io.callhook.service.Config;
import io.callhook.subscription.UrlCheck;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The SSRF guard's view of subscription URLs, from {@code callhook.net.allow-addresses}. */
final class UrlChecks {

    private static final Logger LOG = LoggerFactory.getLogger(UrlChecks.class);

    private UrlChecks() {
    }

    static UrlCheck fromConfig(Config config) {
        AddressPolicy policy = policy(config.get(AllowedAddresses.KEY));
        return url -> policy.checkUrlHost(url).refusalReason();
    }

    static AddressPolicy policy(List<String> ranges) {
        List<Cidr> allowed;
        try {
            allowed = ranges.stream().map(Cidr::parse).toList();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(AllowedAddresses.KEY.name() + ": " + e.getMessage(), e);
        }
        if (!allowed.isEmpty()) {
            LOG.warn("Webhooks may go to addresses the SSRF guard refuses by default: {} ({})", allowed, AllowedAddresses.KEY.name());
        }
        return AddressPolicy.of(allowed);
    }
}
