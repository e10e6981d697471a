package io.callhook.dispatcher.publish;

import io.callhook.model.DeadLetter;
import io.callhook.model.DeliveryAttempt;
import io.callhook.model.WebhookRequest;
import java.util.List;

/**
 * What to write in place of a record the broker will never take (too large for its topic, or
 * not serialisable): the same record with less in it, and a reason saying what was left out and
 * why. Response excerpts and error messages go first (the receiver wrote them and they can be
 * large); a dead letter without its request or bytes is the last resort, small enough for any
 * topic, so a partition can always move on.
 */
final class SmallerRecords {

    /** Kept in attempt records written in place of larger ones. */
    private static final int SHORT_MESSAGE = 200;

    private SmallerRecords() {
    }

    /** The attempt without the response excerpt, and its error message cut short. */
    static DeliveryAttempt withoutExcerpt(DeliveryAttempt attempt) {
        return DeliveryAttempt.newBuilder(attempt).setResponseExcerpt(null).setErrorMessage(cut(attempt.getErrorMessage())).build();
    }

    /** The request with every attempt of its history {@linkplain #withoutExcerpt slimmed}: the body stays, so it stays replayable. */
    static WebhookRequest withSlimHistory(WebhookRequest request) {
        List<DeliveryAttempt> history = request.getAttempts().stream().map(SmallerRecords::withoutExcerpt).toList();
        return WebhookRequest.newBuilder(request).setAttempts(history).build();
    }

    /** Whether {@link #withSlimHistory} leaves something out. */
    static boolean hasExcerpts(WebhookRequest request) {
        return request.getAttempts().stream().anyMatch(a -> a.getResponseExcerpt() != null
                || (a.getErrorMessage() != null && a.getErrorMessage().length() > SHORT_MESSAGE));
    }

    /** The dead letter with its request's attempt history slimmed (the request stays replayable). */
    static DeadLetter withSlimHistory(DeadLetter letter, String why) {
        return DeadLetter.newBuilder(letter).setRequest(withSlimHistory(letter.getRequest()))
                .setReason(letter.getReason() + " [written without response excerpts: " + why + "]").build();
    }

    /** The dead letter with neither request nor bytes: what it was, where it came from and why, nothing more. */
    static DeadLetter withoutContent(DeadLetter letter, String why) {
        WebhookRequest request = letter.getRequest();
        String webhook = request == null ? "" : " webhook " + request.getWebhookId() + " (call " + request.getCallId()
                + ", " + request.getPhase() + ")";
        return DeadLetter.newBuilder(letter).setRequest(null).setRawKey(null).setRawValue(null)
                .setReason(cut(letter.getReason()) + webhook + " [written without its content: " + why + "]").build();
    }

    private static String cut(String text) {
        return text == null || text.length() <= SHORT_MESSAGE ? text : text.substring(0, SHORT_MESSAGE) + "…";
    }
}
