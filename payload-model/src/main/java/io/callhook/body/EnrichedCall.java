package io.callhook.body;

import io.callhook.model.CallEvent;
import io.callhook.model.VisitSnapshot;
import java.util.Objects;

/**
 * Everything the webhook body is made of: the call event, the latest snapshot of the visit that
 * led to it, and the geo data of the client's IP.
 *
 * @param call the call event; required
 * @param visit the visitor's latest snapshot; null when the tracker knows no visit
 * @param geo where the client's IP resolved to; null when it was not looked up or not found
 */
public record EnrichedCall(CallEvent call, VisitSnapshot visit, Geo geo) {

    public EnrichedCall {
        Objects.requireNonNull(call, "call");
    }
}
