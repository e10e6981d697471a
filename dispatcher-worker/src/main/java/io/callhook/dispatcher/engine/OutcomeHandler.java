package io.callhook.dispatcher.engine;

import io.callhook.deadletter.DeadLetterReason;
import io.callhook.dispatcher.DispatcherMetrics;
import io.callhook.dispatcher.http.SendResult;
import io.callhook.dispatcher.publish.Publisher;
import io.callhook.dispatcher.publish.Write;
import io.callhook.dispatcher.retry.FailureKind;
import io.callhook.dispatcher.retry.RetryDecision;
import io.callhook.dispatcher.retry.RetrySchedule;
import io.callhook.model.AttemptOutcome;
import io.callhook.model.DeadLetter;
import io.callhook.model.DeliveryAttempt;
import io.callhook.model.Subscription;
import io.callhook.model.WebhookRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import java.util.function.Function;

/**
 * The handle phase: turns what happened to one attempt into the attempt record and the writes
 * it calls for. Delivered: the attempt. 410 from the subscription's current URL: the attempt, the
 * subscription disabled and the webhook kept as a dead letter (from a URL it no longer has:
 * retried like other statuses). Refused address or invalid URL: dead letter at once. Other
 * failures: the next retry tier, or, with the schedule exhausted, a dead letter carrying the whole
 * history. Builds the writes (counting metrics once, here); {@link io.callhook.dispatcher.publish.OutcomeWriter}
 * makes them, each with a smaller record to fall back to if it can never be written.
 */
public final class OutcomeHandler {

    /** Why a webhook is dropped (counted, not dead-lettered): only a deleted subscription's are. */
    static final String SUBSCRIPTION_DELETED = "SUBSCRIPTION_DELETED";
    /** How a 410's attempt names the endpoint that answered it (the store quotes it when it disables the subscription). */
    static final String GONE_FROM = "410 Gone from ";
    static final String CIRCUIT_OPEN = "CIRCUIT_OPEN";
    static final String LANE_FULL = "LANE_FULL";
    private static final int MAX_MESSAGE = 1000;

    private final Publisher publisher;
    private final RetrySchedule schedule;
    private final DispatcherMetrics metrics;
    private final DoubleSupplier random;

    private final Duration breakerOpenFor;
    private final Function<String, Optional<Subscription>> subscriptions;

    /**
     * @param schedule       the retry schedule and its tiers
     * @param random         values in [0, 1] for retry jitter
     * @param breakerOpenFor how long an open breaker defers a lane's requests
     * @param subscriptions  the subscription as it stands now, by id (the dispatcher's view)
     */
    public OutcomeHandler(Publisher publisher, RetrySchedule schedule, DispatcherMetrics metrics, DoubleSupplier random,
                   Duration breakerOpenFor, Function<String, Optional<Subscription>> subscriptions) {
        this.publisher = publisher;
        this.schedule = schedule;
        this.metrics = metrics;
        this.random = random;
        this.breakerOpenFor = breakerOpenFor;
        this.subscriptions = subscriptions;
    }

    /** What the HTTP attempt returned. */
    List<Write> handle(Delivery delivery, Subscription subscription, SendResult result, Instant started) {
        WebhookRequest request = delivery.request();
        Instant now = started.plus(latencyOf(result));
        if (result instanceof SendResult.Delivered ok) {
            metrics.delivered(Duration.between(request.getEventTime(), now));
            return List.of(record(request, attempt(delivery, started, result, AttemptOutcome.DELIVERED, ok.status(), ok.responseExcerpt(), null)));
        }
        if (result instanceof SendResult.Rejected rejected && rejected.status() == 410) {
            Optional<Subscription> current = subscriptions.apply(request.getSubscriptionId());
            // Only the URL the subscription has now may disable it: one the customer has since
            // changed answers for nothing, and the webhook is retried at the URL it now has.
            if (current.isPresent() && SendTarget.stillCurrent(request, subscription, current.get())) {
                return gone(delivery, rejected, SendTarget.endpoint(SendTarget.url(request, subscription)), started, now);
            }
        }
        if (result instanceof SendResult.AddressRefused || result instanceof SendResult.InvalidUrl) {
            DeliveryAttempt attempt = attempt(delivery, started, result, AttemptOutcome.DEAD_LETTERED, null, null, null);
            DeadLetterReason code = result instanceof SendResult.AddressRefused ? DeadLetterReason.REFUSED_ADDRESS
                    : DeadLetterReason.INVALID_URL;
            return deadLetter(delivery, attempt, code, message(result), now);
        }
        Integer status = result instanceof SendResult.Rejected rejected ? rejected.status() : null;
        String excerpt = result instanceof SendResult.Rejected rejected ? rejected.responseExcerpt() : null;
        return failed(delivery, attempt(delivery, started, result, AttemptOutcome.RETRYING, status, excerpt, null),
                failureKind(result), now);
    }

    /**
     * The subscription's current endpoint answered 410: the attempt (outcome {@code DISABLED},
     * naming the endpoint) and the webhook kept as a dead letter like every other one of a
     * disabled subscription. The dispatcher does not write the subscription: the store owns that
     * topic and, reading the attempt, disables the subscription as it then stands, so a change
     * the customer makes meanwhile is not undone by a record this worker read earlier.
     */
    private List<Write> gone(Delivery delivery, SendResult.Rejected rejected, String endpoint, Instant started, Instant now) {
        WebhookRequest request = delivery.request();
        // The endpoint only: a GET's query carries the call's data, which has no place on the subscription.
        String gone = GONE_FROM + endpoint;
        DeliveryAttempt attempt = DeliveryAttempt.newBuilder(
                attempt(delivery, started, rejected, AttemptOutcome.DISABLED, 410, rejected.responseExcerpt(), null))
                .setErrorMessage(truncate(gone)).build();
        return deadLetter(delivery, attempt, DeadLetterReason.SUBSCRIPTION_DISABLED, gone + " at " + now, now);
    }

    /**
     * The endpoint's breaker is open: this counts as a failed attempt without a request being sent.
     * A retry while it is open would only meet it open again (and churn through the tiers, costing
     * every other endpoint): it waits at least as long as the breaker stays open.
     */
    List<Write> circuitOpen(Delivery delivery, Instant now) {
        DeliveryAttempt attempt = baseAttempt(delivery, now).setLatencyMs(0)
                .setOutcome(AttemptOutcome.RETRYING).setErrorType(CIRCUIT_OPEN)
                .setErrorMessage("the endpoint's circuit breaker is open after repeated failures").build();
        metrics.deferred(CIRCUIT_OPEN);
        return failed(delivery, attempt, FailureKind.CIRCUIT_OPEN, now, breakerOpenFor);
    }

    /**
     * The endpoint's lane holds more work than its endpoint is expected to take soon: sent to a
     * retry tier without an attempt, counted like one (see {@link FailureKind.LaneFull}), not
     * before the lane is expected to have worked off what it holds. A retry, so later webhooks of
     * the subscription may go before it.
     *
     * @param backlog what the lane holds, for the attempt log (no URL, no secret)
     * @param wait    how long the lane is expected to take for what it holds
     */
    List<Write> laneFull(Delivery delivery, String backlog, Duration wait, Instant now) {
        DeliveryAttempt attempt = baseAttempt(delivery, now).setLatencyMs(0)
                .setOutcome(AttemptOutcome.RETRYING).setErrorType(LANE_FULL)
                .setErrorMessage(truncate("not sent: " + backlog)).build();
        metrics.deferred(LANE_FULL);
        return failed(delivery, attempt, FailureKind.LANE_FULL, now, wait);
    }

    /**
     * The webhook cannot be sent as things stand: its subscription is disabled or breaks the
     * rules, or preparing the request failed. Kept whole as a dead letter (the attempt record says
     * why), replayable once that is fixed; never dropped.
     */
    List<Write> notSendable(Delivery delivery, DeadLetterReason code, String reason, Instant now) {
        DeliveryAttempt attempt = baseAttempt(delivery, now).setLatencyMs(0)
                .setOutcome(AttemptOutcome.DEAD_LETTERED).setErrorType(code.code()).setErrorMessage(truncate(reason)).build();
        return deadLetter(delivery, attempt, code, reason, now);
    }

    /** The subscription was deleted while the request waited. */
    List<Write> dropped(Delivery delivery, String reason, Instant now) {
        metrics.dropped(reason);
        DeliveryAttempt attempt = baseAttempt(delivery, now).setLatencyMs(0)
                .setOutcome(AttemptOutcome.DROPPED).setErrorType(reason).build();
        metrics.attempt(delivery.request().getProduct(), delivery.request().getTest(), AttemptOutcome.DROPPED, null, null);
        return List.of(publisher.attemptWrite(attempt));
    }

    /** No active secret to sign with: a configuration problem, kept as a replayable dead letter. */
    List<Write> unsignable(Delivery delivery, String reason, Instant now) {
        return notSendable(delivery, DeadLetterReason.NO_SIGNING_SECRET, "cannot sign: " + reason, now);
    }

    private List<Write> failed(Delivery delivery, DeliveryAttempt attempt, FailureKind failure, Instant now) {
        return failed(delivery, attempt, failure, now, Duration.ZERO);
    }

    /** @param atLeast the shortest wait before the retry, whatever the schedule says */
    private List<Write> failed(Delivery delivery, DeliveryAttempt attempt, FailureKind failure, Instant now, Duration atLeast) {
        WebhookRequest request = delivery.request();
        int attemptsSoFar = request.getAttempts().size() + 1 - request.getScheduleStart();
        RetryDecision decision = RetryDecision.decide(attemptsSoFar, failure, schedule, now, random);
        if (decision instanceof RetryDecision.RetryAt scheduled) {
            RetryDecision.RetryAt retry = notBefore(scheduled, now, atLeast);
            DeliveryAttempt retrying = DeliveryAttempt.newBuilder(attempt).setNextAttemptAt(retry.due()).build();
            WebhookRequest next = WebhookRequest.newBuilder(request).setAttempts(with(request.getAttempts(), retrying))
                    .setNotBefore(retry.due()).build();
            metrics.retryScheduled(retry.tier());
            DeliveryAttempt deadInstead = DeliveryAttempt.newBuilder(retrying).setOutcome(AttemptOutcome.DEAD_LETTERED)
                    .setNextAttemptAt(null).build();
            return List.of(record(request, retrying), publisher.retryWrite(retry.tier(), next, unwritable -> {
                metrics.deadLettered(DeadLetterReason.RETRY_UNWRITABLE.code());
                return letter(delivery, deadInstead, DeadLetterReason.RETRY_UNWRITABLE, "the retry to tier " + retry.tier()
                        + " could not be written (" + unwritable.getClass().getSimpleName() + ": " + unwritable.getMessage() + ")", now);
            }));
        }
        DeliveryAttempt last = DeliveryAttempt.newBuilder(attempt).setOutcome(AttemptOutcome.DEAD_LETTERED).build();
        return deadLetter(delivery, last, DeadLetterReason.RETRIES_EXHAUSTED,
                "gave up after " + (request.getAttempts().size() + 1) + " attempts; last: " + describe(attempt), now);
    }

    /**
     * The retry, or, if it is due sooner, one due at {@code now + atLeast} in the tier that fits that
     * wait (at most the largest tier's: a record waiting longer than its tier would hold back the
     * records behind it, see {@link io.callhook.dispatcher.retry.RetryTiers}).
     */
    private RetryDecision.RetryAt notBefore(RetryDecision.RetryAt retry, Instant now, Duration atLeast) {
        Duration largest = schedule.tiers().largest().delay();
        Duration wait = atLeast.compareTo(largest) > 0 ? largest : atLeast;
        Instant earliest = now.plus(wait);
        return retry.due().isBefore(earliest) ? new RetryDecision.RetryAt(earliest, schedule.tiers().tierFor(wait)) : retry;
    }

    private List<Write> deadLetter(Delivery delivery, DeliveryAttempt attempt, DeadLetterReason code, String reason, Instant now) {
        metrics.deadLettered(code.code());
        return List.of(record(delivery.request(), attempt),
                publisher.deadLetterWrite(delivery.request().getSubscriptionId(), letter(delivery, attempt, code, reason, now)));
    }

    /**
     * Building the outcome failed (a bug, or data no record can hold): the webhook is kept as a dead
     * letter naming the failure, without an attempt record (the attempt may be what failed).
     */
    List<Write> outcomeFailed(Delivery delivery, Throwable failure, Instant now) {
        metrics.deadLettered(DeadLetterReason.OUTCOME_FAILED.code());
        WebhookRequest request = delivery.request();
        DeadLetter letter = DeadLetter.newBuilder()
                .setReasonCode(DeadLetterReason.OUTCOME_FAILED.code())
                .setReason(DeadLetterReason.text("recording the outcome failed: " + failure))
                .setSource(delivery.source())
                .setDeadAt(now)
                .setSubscriptionId(request.getSubscriptionId())
                .setAccountId(request.getAccountId())
                .setRequest(WebhookRequest.newBuilder(request).setNotBefore(null).build())
                .build();
        return List.of(publisher.deadLetterWrite(request.getSubscriptionId(), letter));
    }

    private static DeadLetter letter(Delivery delivery, DeliveryAttempt attempt, DeadLetterReason code, String reason, Instant now) {
        WebhookRequest request = delivery.request();
        return DeadLetter.newBuilder()
                .setReasonCode(code.code())
                .setReason(DeadLetterReason.text(reason))
                .setSource(delivery.source())
                .setDeadAt(now)
                .setSubscriptionId(request.getSubscriptionId())
                .setAccountId(request.getAccountId())
                .setRequest(WebhookRequest.newBuilder(request).setAttempts(with(request.getAttempts(), attempt)).setNotBefore(null).build())
                .build();
    }

    private Write record(WebhookRequest request, DeliveryAttempt attempt) {
        metrics.attempt(request.getProduct(), request.getTest(), attempt.getOutcome(), attempt.getHttpStatus(),
                attempt.getLatencyMs() == 0 && attempt.getHttpStatus() == null ? null : Duration.ofMillis(attempt.getLatencyMs()));
        return publisher.attemptWrite(attempt);
    }

    private static DeliveryAttempt attempt(Delivery delivery, Instant started, SendResult result,
                                           AttemptOutcome outcome, Integer status, String excerpt, Instant next) {
        DeliveryAttempt.Builder builder = baseAttempt(delivery, started)
                .setLatencyMs(latencyOf(result).toMillis())
                .setOutcome(outcome)
                .setHttpStatus(status)
                .setResponseExcerpt(excerpt)
                .setNextAttemptAt(next);
        if (!(result instanceof SendResult.Delivered)) {
            builder.setErrorType(result.errorType()).setErrorMessage(truncate(message(result)));
        }
        return builder.build();
    }

    private static DeliveryAttempt.Builder baseAttempt(Delivery delivery, Instant started) {
        WebhookRequest request = delivery.request();
        int number = request.getAttempts().size() + 1;
        return DeliveryAttempt.newBuilder()
                .setAttemptId(attemptId(request, number))
                .setRequest(delivery.source())
                .setWebhookId(request.getWebhookId())
                .setSubscriptionId(request.getSubscriptionId())
                .setAccountId(request.getAccountId())
                .setCallId(request.getCallId())
                .setPhase(request.getPhase())
                .setAttemptNumber(number)
                .setStartedAt(started)
                .setTest(request.getTest())
                // Set rather than left to their defaults: Avro's builder looks a default up by
                // hashing its field's schema, once per attempt.
                .setErrorType(null)
                .setErrorMessage(null);
    }

    /**
     * Deterministic, so an attempt recorded twice is counted once; a webhook sent again on a
     * customer's request numbers its attempts apart from the original sending's.
     */
    static String attemptId(WebhookRequest request, int number) {
        String resend = request.getResendId();
        return request.getWebhookId() + "/" + (resend == null ? "" : resend + "/") + number;
    }

    private static FailureKind failureKind(SendResult result) {
        if (result instanceof SendResult.Rejected rejected) {
            return rejected.retryAfterHeader().map(header -> FailureKind.HttpStatus.of(rejected.status(), header))
                    .orElse(FailureKind.HttpStatus.of(rejected.status()));
        }
        return result instanceof SendResult.TimedOut ? FailureKind.TIMEOUT : FailureKind.CONNECT_ERROR;
    }

    private static Duration latencyOf(SendResult result) {
        if (result instanceof SendResult.Delivered r) {
            return r.latency();
        }
        if (result instanceof SendResult.Rejected r) {
            return r.latency();
        }
        if (result instanceof SendResult.TimedOut r) {
            return r.latency();
        }
        if (result instanceof SendResult.ConnectionFailed r) {
            return r.latency();
        }
        return Duration.ZERO;
    }

    private static String message(SendResult result) {
        if (result instanceof SendResult.Rejected r) {
            return "HTTP " + r.status();
        }
        if (result instanceof SendResult.TimedOut r) {
            return "timed out waiting for the " + r.phase().name().toLowerCase(java.util.Locale.ROOT);
        }
        if (result instanceof SendResult.ConnectionFailed r) {
            return r.kind() + ": " + r.detail();
        }
        if (result instanceof SendResult.AddressRefused r) {
            return r.reason();
        }
        if (result instanceof SendResult.InvalidUrl r) {
            return r.reason();
        }
        return result.errorType();
    }

    private static String describe(DeliveryAttempt attempt) {
        return attempt.getHttpStatus() != null ? "HTTP " + attempt.getHttpStatus() : attempt.getErrorType();
    }

    private static List<DeliveryAttempt> with(List<DeliveryAttempt> history, DeliveryAttempt attempt) {
        List<DeliveryAttempt> all = new ArrayList<>(history.size() + 1);
        all.addAll(history);
        all.add(attempt);
        return all;
    }

    private static String truncate(String text) {
        return text == null || text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "…";
    }
}
