package io.callhook.store.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * How webhooks are delivered: the options {@code create} and {@code update} share. Only options
 * given go into the request body, so an update changes nothing else and a create leaves the rest
 * to the store's defaults.
 */
final class DeliveryOptions {

    /** HTTP methods API.md allows. */
    enum Method { POST, GET, PUT, PATCH }

    /** Call events a subscription may receive. */
    enum Event { STARTED, ENDED }

    @Option(names = "--method", paramLabel = "METHOD", description = "POST (default), GET, PUT or PATCH.")
    Method method;

    @Option(names = "--content-type", paramLabel = "json|form", converter = ContentTypeConverter.class,
            description = "Body format: json (application/json) or form (application/x-www-form-urlencoded, CALLTRACKING only).")
    String contentType;

    @Option(names = "--events", paramLabel = "EVENT", split = ",",
            description = "Events to send, comma-separated: STARTED,ENDED (CALLTRACKING only).")
    List<Event> events;

    @Option(names = "--rename", paramLabel = "path=name",
            description = "Rename a documented key (dots for nesting, e.g. visit_info.udata.uag=user_agent). Repeatable.")
    Map<String, String> renames;

    @Option(names = "--param", paramLabel = "name=value", description = "Static extra body parameter. Repeatable.")
    Map<String, String> params;

    @Option(names = "--header", paramLabel = "name=value", description = "Static extra HTTP header. Repeatable.")
    Map<String, String> headers;

    @Option(names = "--rate-limit", paramLabel = "N", description = "At most N requests per second to the URL.")
    Integer rateLimit;

    /** True when no delivery option was given. */
    boolean isEmpty() {
        return method == null && contentType == null && events == null && renames == null && params == null
                && headers == null && rateLimit == null;
    }

    /** Writes the given options into a request body, with API.md's field names. */
    void writeTo(ObjectNode body) {
        if (method != null) {
            body.put("method", method.name());
        }
        if (contentType != null) {
            body.put("contentType", contentType);
        }
        if (events != null) {
            ArrayNode array = body.putArray("events");
            events.forEach(event -> array.add(event.name()));
        }
        putMap(body, "renames", renames);
        putMap(body, "params", params);
        putMap(body, "headers", headers);
        if (rateLimit != null) {
            body.put("rateLimit", rateLimit);
        }
    }

    private static void putMap(ObjectNode body, String field, Map<String, String> values) {
        if (values != null) {
            ObjectNode object = body.putObject(field);
            values.forEach(object::put);
        }
    }
}
