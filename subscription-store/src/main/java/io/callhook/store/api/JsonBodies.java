package io.callhook.store.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/** Reading JSON request bodies; a body the API cannot use is answered here (400/415). */
final class JsonBodies {

    private JsonBodies() {
    }

    /** An optional JSON object body (empty is fine), or null with an answer already sent. */
    static JsonNode optionalObject(RoutingContext ctx) {
        String text = ctx.body() == null ? null : ctx.body().asString();
        if (text == null || text.isBlank()) {
            return JsonViews.JSON.createObjectNode();
        }
        if (!isJson(ctx)) {
            Replies.send(ctx, 415, JsonViews.error("send the body as application/json"));
            return null;
        }
        try {
            JsonNode node = JsonViews.JSON.readTree(text);
            if (!node.isObject()) {
                Replies.send(ctx, 400, Replies.problems("invalid request", "body: must be a JSON object"));
                return null;
            }
            return node;
        } catch (Exception e) {
            Replies.send(ctx, 400, Replies.problems("invalid request", "body: not valid JSON"));
            return null;
        }
    }

    static boolean isJson(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/json");
    }

    /**
     * Whether the request carries a body that is not JSON: the API reads no such body at all
     * (no form, no file upload), so it is refused before anything of it is read.
     */
    static boolean carriesOtherThanJson(RoutingContext ctx) {
        String length = ctx.request().getHeader("Content-Length");
        boolean hasBody = ctx.request().getHeader("Transfer-Encoding") != null || (length != null && !length.strip().equals("0"));
        return hasBody && !isJson(ctx);
    }
}
