package io.callhook.subscription;

import java.util.Optional;

/** Whether a subscription URL's host may receive webhooks, as far as can be told without DNS. */
@FunctionalInterface
public interface UrlCheck {

    /** Why the URL is refused, or empty when it may be used. */
    Optional<String> refusal(String url);
}
