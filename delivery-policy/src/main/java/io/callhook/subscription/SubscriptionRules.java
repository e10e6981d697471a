package io.callhook.subscription;

import io.callhook.body.BodyOptions;
import io.callhook.body.Validated;
import io.callhook.model.BodyFormat;
import io.callhook.model.CallPhase;
import io.callhook.model.HttpMethod;
import io.callhook.model.Product;
import io.callhook.model.SigningSecret;
import io.callhook.model.Subscription;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What makes a subscription valid, wherever it comes from: the subscription API refuses input
 * with these messages, and the services reading the subscriptions topic dead-letter records from
 * other producers that break them. Every problem is reported, each naming the field.
 *
 * <p>The URL is checked as text here; whether its host may be connected to is decided by
 * {@link UrlCheck}, which needs the deployment's allowlist.
 */
public final class SubscriptionRules {

    /** Ids fit in a JavaScript number, so clients in any language read them exactly. */
    public static final long MAX_ID = (1L << 53);
    public static final int MAX_URL_LENGTH = 2048;
    public static final int MAX_HEADERS = 32;
    public static final int MAX_RATE_LIMIT = 10_000;
    public static final String SECRET_PREFIX = "whsec_";

    /** Set by the dispatcher or by HTTP itself; a subscription may not override them. */
    private static final Set<String> RESERVED_HEADERS = Set.of("webhook-id", "webhook-timestamp",
            "webhook-signature", "content-type", "content-length", "host", "transfer-encoding",
            "connection", "user-agent", "te", "upgrade", "keep-alive", "trailer", "expect");
    private static final Set<CallPhase> DELIVERABLE_PHASES = EnumSet.of(CallPhase.STARTED, CallPhase.ENDED);

    private final UrlCheck urlCheck;

    public SubscriptionRules(UrlCheck urlCheck) {
        this.urlCheck = urlCheck;
    }

    /**
     * Checks a subscription read from or bound for the topic.
     *
     * @param key the record key, which must be the subscription's id; null to skip that check
     */
    public Validated<Subscription> check(String key, Subscription subscription) {
        List<String> errors = new ArrayList<>();
        checkIds(key, subscription, errors);
        checkUrl(subscription.getUrl(), errors);
        checkProductShape(subscription, errors);
        if (BodyOptions.validate(subscription) instanceof Validated.Invalid<BodyOptions> invalid) {
            errors.addAll(invalid.errors());
        }
        checkHeaders(subscription.getHeaders(), errors);
        checkSecrets(subscription.getSecrets(), errors);
        Integer rate = subscription.getRateLimitPerSecond();
        if (rate != null && (rate < 1 || rate > MAX_RATE_LIMIT)) {
            errors.add("rateLimitPerSecond: " + rate + " is outside 1.." + MAX_RATE_LIMIT + " (or null for no limit)");
        }
        return errors.isEmpty() ? new Validated.Valid<>(subscription) : new Validated.Invalid<>(errors);
    }

    private static void checkIds(String key, Subscription subscription, List<String> errors) {
        String id = subscription.getId();
        if (id == null || id.isBlank() || id.length() > 128) {
            errors.add("id: must be 1..128 characters");
        } else if (key != null && !key.equals(id)) {
            errors.add("id: '" + id + "' differs from the record key '" + key + "'");
        }
        long account = subscription.getAccountId();
        if (account < 1 || account > MAX_ID) {
            errors.add("accountId: " + account + " is outside 1.." + MAX_ID);
        }
    }

    private void checkUrl(String url, List<String> errors) {
        if (url == null || url.isBlank()) {
            errors.add("url: missing");
            return;
        }
        if (url.length() > MAX_URL_LENGTH) {
            errors.add("url: longer than " + MAX_URL_LENGTH + " characters");
            return;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            errors.add("url: not a valid URL (" + e.getReason() + " at index " + e.getIndex() + ")");
            return;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            errors.add("url: must be an absolute http or https URL");
            return;
        }
        if (uri.getRawUserInfo() != null) {
            errors.add("url: must not carry a user name or password (put credentials in headers or params)");
        }
        if (uri.getHost() == null) {
            errors.add("url: has no valid host");
            return;
        }
        urlCheck.refusal(url).ifPresent(reason -> errors.add("url: " + reason));
    }

    private static void checkProductShape(Subscription subscription, List<String> errors) {
        Product product = subscription.getProduct();
        List<CallPhase> events = subscription.getEvents();
        if (product == null || product == Product.UNKNOWN) {
            errors.add("product: must be CALLKEEPER or CALLTRACKING");
            return;
        }
        if (product == Product.CALLKEEPER) {
            // CallKeeper's screen has no options: start and end, JSON, the documented keys.
            if (!EnumSet.copyOf(nonEmpty(events)).equals(DELIVERABLE_PHASES) || events.size() != 2) {
                errors.add("events: CALLKEEPER subscriptions receive exactly [STARTED, ENDED]");
            }
            if (subscription.getFormat() != BodyFormat.JSON || subscription.getMethod() != HttpMethod.POST) {
                errors.add("format: CALLKEEPER subscriptions are sent as JSON with POST");
            }
            if (!subscription.getRenames().isEmpty()) {
                errors.add("renames: CALLKEEPER subscriptions send the documented keys; renames are a CALLTRACKING option");
            }
            return;
        }
        if (events.isEmpty()) {
            errors.add("events: choose at least one of STARTED, ENDED");
        } else if (!DELIVERABLE_PHASES.containsAll(events) || Set.copyOf(events).size() != events.size()) {
            errors.add("events: " + events + " must be distinct values among STARTED, ENDED");
        }
    }

    private static List<CallPhase> nonEmpty(List<CallPhase> events) {
        return events.isEmpty() ? List.of(CallPhase.UNKNOWN) : events;
    }

    private static void checkHeaders(Map<String, String> headers, List<String> errors) {
        if (headers.size() > MAX_HEADERS) {
            errors.add("headers: at most " + MAX_HEADERS + " headers");
        }
        // HTTP header names ignore case: two entries that differ only in case are one header
        // given twice, which no request can carry (the dispatcher could not send it).
        Map<String, String> firstByLowerCase = new java.util.HashMap<>();
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = header.getKey();
            if (!isToken(name)) {
                errors.add("headers: '" + printable(name) + "' is not a valid header name");
            } else if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                errors.add("headers: '" + name + "' is set by Callhook and cannot be overridden");
            } else {
                String first = firstByLowerCase.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
                if (first != null) {
                    errors.add("headers: '" + name + "' is given twice (header names ignore case; also given as '" + first + "')");
                }
            }
            String value = header.getValue();
            if (value == null || value.length() > 4096 || value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                errors.add("headers: the value of '" + printable(name) + "' must be at most 4096 characters without CR, LF or NUL");
            }
        }
    }

    private static void checkSecrets(List<SigningSecret> secrets, List<String> errors) {
        if (secrets.isEmpty()) {
            errors.add("secrets: at least one signing secret is required");
        }
        for (int i = 0; i < secrets.size(); i++) {
            if (!isValidSecret(secrets.get(i).getSecret())) {
                errors.add("secrets[" + i + "]: must be '" + SECRET_PREFIX + "' followed by base64 of 24 to 64 bytes");
            }
        }
    }

    /** A Standard Webhooks secret: {@code whsec_} + base64 of 24..64 random bytes. */
    public static boolean isValidSecret(String secret) {
        if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
            return false;
        }
        try {
            int length = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length())).length;
            return length >= 24 && length <= 64;
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }

    // RFC 9110 token characters.
    private static boolean isToken(String name) {
        if (name == null || name.isEmpty() || name.length() > 256) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String printable(String text) {
        return text == null ? "null" : text.replaceAll("[\\p{Cntrl}]", "?");
    }
}
