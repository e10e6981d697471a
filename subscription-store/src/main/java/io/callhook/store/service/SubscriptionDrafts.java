package io.callhook.store.service;

import io.callhook.model.BodyFormat;
import io.callhook.model.CallPhase;
import io.callhook.model.HttpMethod;
import io.callhook.model.Product;
import io.callhook.model.Subscription;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns client input into the subscription to write: a new one, or an existing one changed.
 * Here only the translation (media type to format, names to enums, defaults per product); the
 * rules every subscription must follow are SubscriptionRules', checked afterwards.
 */
final class SubscriptionDrafts {

    static final String JSON = "application/json";
    static final String FORM = "application/x-www-form-urlencoded";

    private SubscriptionDrafts() {
    }

    /** A new subscription's fields from a create request; problems name the field. */
    static Subscription.Builder create(SubscriptionInput input, List<String> problems) {
        Subscription.Builder builder = Subscription.newBuilder();
        if (input.id() != null) {
            problems.add("id: is assigned by the store");
        }
        if (input.accountId() == null) {
            problems.add("accountId: missing");
        }
        // A placeholder keeps the draft buildable so that every other problem is reported too.
        builder.setAccountId(input.accountId() == null ? 0 : input.accountId());
        Product product = product(input.product(), problems);
        builder.setProduct(product == null ? Product.UNKNOWN : product);
        builder.setUrl(input.url() == null ? "" : input.url());
        builder.setMethod(input.method() == null ? HttpMethod.POST : method(input.method(), problems));
        builder.setFormat(input.contentType() == null ? BodyFormat.JSON : format(input.contentType(), problems));
        builder.setEvents(input.events() == null ? List.of(CallPhase.STARTED, CallPhase.ENDED) : events(input.events(), problems));
        builder.setRenames(copy(input.renames())).setParams(copy(input.params())).setHeaders(copy(input.headers()));
        builder.setRateLimitPerSecond(input.rateLimit());
        builder.setEnabled(input.enabled() == null || input.enabled());
        return builder;
    }

    /**
     * The existing subscription with the input's changes. {@code replace} (PUT) resets what the
     * input leaves out to its default; otherwise (PATCH) only the fields present change, and a
     * field present as {@code null} is cleared (maps emptied, the rate limit lifted).
     */
    static Subscription.Builder change(Subscription current, SubscriptionInput input, java.util.Set<String> present,
                                       boolean replace, List<String> problems) {
        java.util.function.Predicate<String> given = field -> replace || present.contains(field);
        if (input.id() != null && !input.id().equals(current.getId())) {
            problems.add("id: cannot be changed");
        }
        if (input.accountId() != null && input.accountId() != current.getAccountId()) {
            problems.add("accountId: cannot be changed");
        }
        if (input.product() != null && !input.product().equals(current.getProduct().name())) {
            problems.add("product: cannot be changed");
        }
        Subscription.Builder builder = Subscription.newBuilder(current);
        if (replace && input.url() == null) {
            problems.add("url: missing (PUT replaces every changeable field; PATCH changes some)");
        }
        if (input.url() != null) {
            builder.setUrl(input.url());
        }
        if (given.test("method")) {
            builder.setMethod(input.method() == null ? HttpMethod.POST : method(input.method(), problems));
        }
        if (given.test("contentType")) {
            builder.setFormat(input.contentType() == null ? BodyFormat.JSON : format(input.contentType(), problems));
        }
        if (given.test("events")) {
            builder.setEvents(input.events() == null ? List.of(CallPhase.STARTED, CallPhase.ENDED) : events(input.events(), problems));
        }
        if (given.test("renames")) {
            builder.setRenames(copy(input.renames()));
        }
        if (given.test("params")) {
            builder.setParams(copy(input.params()));
        }
        if (given.test("headers")) {
            builder.setHeaders(copy(input.headers()));
        }
        if (given.test("rateLimit")) {
            builder.setRateLimitPerSecond(input.rateLimit());
        }
        if (given.test("enabled")) {
            boolean enabled = input.enabled() == null || input.enabled();
            builder.setEnabled(enabled);
            // A subscription disabled earlier (e.g. by a 410) keeps saying why.
            builder.setDisabledReason(enabled ? null : current.getEnabled() ? "disabled by the customer" : current.getDisabledReason());
        }
        return builder;
    }

    static String mediaType(BodyFormat format) {
        return format == BodyFormat.FORM ? FORM : JSON;
    }

    private static Product product(String text, List<String> problems) {
        if (text == null) {
            problems.add("product: missing (CALLKEEPER or CALLTRACKING)");
            return null;
        }
        try {
            Product product = Product.valueOf(text.toUpperCase(Locale.ROOT));
            if (product == Product.UNKNOWN) {
                throw new IllegalArgumentException();
            }
            return product;
        } catch (IllegalArgumentException e) {
            problems.add("product: '" + text + "' is not CALLKEEPER or CALLTRACKING");
            return null;
        }
    }

    private static HttpMethod method(String text, List<String> problems) {
        try {
            return HttpMethod.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add("method: '" + text + "' is not POST, GET, PUT or PATCH");
            return HttpMethod.POST;
        }
    }

    private static BodyFormat format(String text, List<String> problems) {
        String media = text.toLowerCase(Locale.ROOT).split(";", 2)[0].strip();
        if (media.equals(JSON)) {
            return BodyFormat.JSON;
        }
        if (media.equals(FORM)) {
            return BodyFormat.FORM;
        }
        problems.add("contentType: '" + text + "' is not " + JSON + " or " + FORM);
        return BodyFormat.JSON;
    }

    private static List<CallPhase> events(List<String> names, List<String> problems) {
        List<CallPhase> events = new ArrayList<>();
        for (String name : names) {
            try {
                CallPhase phase = CallPhase.valueOf(String.valueOf(name).toUpperCase(Locale.ROOT));
                if (!EnumSet.of(CallPhase.STARTED, CallPhase.ENDED).contains(phase)) {
                    throw new IllegalArgumentException();
                }
                events.add(phase);
            } catch (IllegalArgumentException e) {
                problems.add("events: '" + name + "' is not STARTED or ENDED");
            }
        }
        return events;
    }

    private static Map<String, String> copy(Map<String, String> map) {
        return map == null ? new LinkedHashMap<>() : new LinkedHashMap<>(map);
    }
}
