package io.callhook.body;

import static io.callhook.body.KeyRenames.quote;

import io.callhook.model.BodyFormat;
import io.callhook.model.HttpMethod;
import io.callhook.model.Subscription;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How one subscription wants its webhook body: format, HTTP method, renamed keys and static
 * extra parameters. Only {@link #validate} makes one, so the subscription API (refusing bad
 * input) and the stream processor (rendering) apply the very same rules.
 */
public final class BodyOptions {

    /** The CallKeeper way: documented keys, JSON, POST, nothing added. */
    public static final BodyOptions DEFAULT =
            new BodyOptions(BodyFormat.JSON, HttpMethod.POST, KeyRenames.NONE, Map.of());

    private final BodyFormat format;
    private final HttpMethod method;
    private final KeyRenames renames;
    private final Map<String, String> params;
    // Immutable, and the key of the enricher's rendered-body cache for every webhook: hashed once.
    private final int hash;

    private BodyOptions(BodyFormat format, HttpMethod method, KeyRenames renames, Map<String, String> params) {
        this.format = format;
        this.method = method;
        this.renames = renames;
        this.params = params;
        this.hash = Objects.hash(format, method, renames, params);
    }

    /**
     * Checks a subscription's body options. Refused, each with a message naming the field:
     * a missing format or method, every refusal of {@link KeyRenames#parse}, a parameter name
     * that breaks the same rule as renamed names, a parameter without a value, and a parameter named like a
     * top-level key of the renamed body. Null maps mean none.
     */
    public static Validated<BodyOptions> validate(BodyFormat format, HttpMethod method,
                                                  Map<String, String> renames, Map<String, String> params) {
        List<String> errors = new ArrayList<>();
        if (format == null) {
            errors.add("format: missing (JSON or FORM)");
        }
        if (method == null) {
            errors.add("method: missing (POST, GET, PUT or PATCH)");
        }
        Map<String, String> renameMap = renames == null ? Map.of() : renames;
        Validated<KeyRenames> parsed = KeyRenames.parse(renameMap);
        if (parsed instanceof Validated.Invalid<KeyRenames> invalid) {
            errors.addAll(invalid.errors());
        }
        Map<String, String> paramMap = params == null ? Map.of() : params;
        errors.addAll(paramErrors(paramMap, KeyRenames.namesUnder(DocumentedKeys.TOP, renameMap)));
        if (!errors.isEmpty()) {
            return new Validated.Invalid<>(errors);
        }
        KeyRenames valid = ((Validated.Valid<KeyRenames>) parsed).value();
        return new Validated.Valid<>(new BodyOptions(format, method, valid, sortedCopy(paramMap)));
    }

    /** {@link #validate(BodyFormat, HttpMethod, Map, Map)} of a subscription's fields. */
    public static Validated<BodyOptions> validate(Subscription subscription) {
        return validate(subscription.getFormat(), subscription.getMethod(),
                subscription.getRenames(), subscription.getParams());
    }

    /** The body's content type for POST, PUT and PATCH; GET ignores it. */
    public BodyFormat format() {
        return format;
    }

    /** GET carries the body's pairs in the query string, whatever the format. */
    public HttpMethod method() {
        return method;
    }

    /** Renamed keys, already checked. */
    public KeyRenames renames() {
        return renames;
    }

    /** Static parameters, sorted by name: that is the order they follow the documented keys in. */
    public Map<String, String> params() {
        return params;
    }

    private static List<String> paramErrors(Map<String, String> params, List<String> topLevelNames) {
        List<String> errors = new ArrayList<>();
        List<String> topLevelPaths = DocumentedKeys.children(DocumentedKeys.TOP);
        List<Map.Entry<String, String>> entries = new ArrayList<>(params.entrySet());
        entries.sort(Map.Entry.comparingByKey(Comparator.nullsFirst(Comparator.naturalOrder())));
        for (Map.Entry<String, String> entry : entries) {
            String name = entry.getKey();
            if (!KeyNames.isValid(name)) {
                errors.add("params: " + quote(name) + " is not a valid parameter name (" + KeyNames.RULE + ")");
                continue;
            }
            if (entry.getValue() == null) {
                errors.add("params: " + quote(name) + " has no value (use \"\" for an empty one)");
            }
            int clash = topLevelNames.indexOf(name);
            if (clash >= 0) {
                String path = topLevelPaths.get(clash);
                String origin = path.equals(name) ? "" : " (the renamed " + quote(path) + ")";
                errors.add("params: " + quote(name) + " collides with the body key " + quote(name) + origin);
            }
        }
        return errors;
    }

    /** Sorted because a stored subscription's map has no order, and equal input must render equal bytes. */
    private static Map<String, String> sortedCopy(Map<String, String> params) {
        if (params.isEmpty()) {
            return Map.of();
        }
        List<String> names = new ArrayList<>(params.keySet());
        Collections.sort(names);
        Map<String, String> sorted = new LinkedHashMap<>(params.size() * 2);
        for (String name : names) {
            sorted.put(name, params.get(name));
        }
        return Collections.unmodifiableMap(sorted);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BodyOptions o && format == o.format && method == o.method
                && renames.equals(o.renames) && params.equals(o.params);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** Parameter values are left out: a static parameter is often a shared secret. */
    @Override
    public String toString() {
        return "BodyOptions[format=" + format + ", method=" + method + ", renames=" + renames.asMap()
                + ", params=" + params.keySet() + "]";
    }
}
