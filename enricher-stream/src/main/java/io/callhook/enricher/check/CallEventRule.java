package io.callhook.enricher.check;

import io.callhook.body.Validated;
import io.callhook.model.CallEvent;
import io.callhook.subscription.SubscriptionRules;
import java.util.ArrayList;
import java.util.List;

/**
 * A call event is usable when it identifies its call and account. Everything else may be
 * missing: unknown values become nulls in the webhook, never a reason to drop a call.
 */
public final class CallEventRule implements RecordRule<CallEvent> {

    @Override
    public Validated<CallEvent> check(String key, CallEvent event) {
        List<String> errors = new ArrayList<>();
        if (event.getEventId() == null || event.getEventId().isBlank()) {
            errors.add("eventId: missing");
        }
        if (event.getCallId() < 1 || event.getCallId() > SubscriptionRules.MAX_ID) {
            errors.add("callId: " + event.getCallId() + " is outside 1.." + SubscriptionRules.MAX_ID);
        }
        if (event.getAccountId() < 1 || event.getAccountId() > SubscriptionRules.MAX_ID) {
            errors.add("accountId: " + event.getAccountId() + " is outside 1.." + SubscriptionRules.MAX_ID);
        }
        if (event.getDurationSec() != null && event.getDurationSec() < 0) {
            errors.add("durationSec: " + event.getDurationSec() + " is negative");
        }
        return errors.isEmpty() ? new Validated.Valid<>(event) : new Validated.Invalid<>(errors);
    }
}
