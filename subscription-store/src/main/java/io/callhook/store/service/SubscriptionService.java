package io.callhook.store.service;

import io.callhook.body.Validated;
import io.callhook.model.CallEvent;
import io.callhook.model.CallPhase;
import io.callhook.model.SigningSecret;
import io.callhook.model.Subscription;
import io.callhook.service.kafka.SubscriptionView;
import io.callhook.store.api.Principal;
import io.callhook.subscription.SubscriptionRules;
import io.callhook.topic.Topics;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Subscriptions as customers manage them. The compacted subscriptions topic is the only truth:
 * a change is written there, then read back by this instance's view before answering, so the
 * caller's next read shows it. Every change passes the same SubscriptionRules the other
 * services apply to the topic.
 */
public final class SubscriptionService {

    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(15);
    private static final long TEST_CALL_IDS_FROM = 1L << 52;

    private final SubscriptionView view;
    private final Producer<String, byte[]> producer;
    private final Topics topics;
    private final SubscriptionRules rules;
    private final Clock clock;
    private final Duration secretGrace;
    private final SecureRandom random = new SecureRandom();

    public SubscriptionService(SubscriptionView view, Producer<String, byte[]> producer, Topics topics, SubscriptionRules rules,
                               Clock clock, Duration secretGrace) {
        this.view = view;
        this.producer = producer;
        this.topics = topics;
        this.rules = rules;
        this.clock = clock;
        this.secretGrace = secretGrace;
    }

    public Outcome<Subscription> create(Principal caller, SubscriptionInput input) {
        List<String> problems = new ArrayList<>();
        Subscription.Builder draft = SubscriptionDrafts.create(input, problems);
        if (input.accountId() != null && !caller.mayAccess(input.accountId())) {
            problems.add("accountId: " + input.accountId() + " is not your account");
        }
        Instant now = clock.instant();
        Subscription subscription = draft.setId(newId()).setSecrets(List.of(new SigningSecret(newSecret(), now, null)))
                .setCreatedAt(now).setUpdatedAt(now).build();
        return checkAndWrite(subscription, problems);
    }

    public Optional<Subscription> get(Principal caller, String id) {
        return view.get(id).filter(subscription -> caller.mayAccess(subscription.getAccountId()));
    }

    public List<Subscription> list(Principal caller, long accountId) {
        if (!caller.mayAccess(accountId)) {
            return List.of();
        }
        return view.ofAccount(accountId).stream().sorted(Comparator.comparing(Subscription::getCreatedAt)).toList();
    }

    /** @param present the JSON fields the client sent (a field sent as null clears it in a PATCH) */
    public Outcome<Subscription> update(Principal caller, String id, SubscriptionInput input, java.util.Set<String> present,
                                        boolean replace) {
        Optional<Subscription> current = get(caller, id);
        if (current.isEmpty()) {
            return new Outcome.NotFound<>(id);
        }
        List<String> problems = new ArrayList<>();
        Subscription changed = SubscriptionDrafts.change(current.get(), input, present, replace, problems)
                .setUpdatedAt(clock.instant()).build();
        return checkAndWrite(changed, problems);
    }

    public Outcome<Void> delete(Principal caller, String id) {
        if (get(caller, id).isEmpty()) {
            return new Outcome.NotFound<>(id);
        }
        write(id, null);
        return new Outcome.Done<>(null);
    }

    /** A new current secret; the previous one keeps signing for the grace period, so receivers can switch over. */
    public Outcome<Subscription> rotateSecret(Principal caller, String id, Optional<Duration> grace) {
        Optional<Subscription> current = get(caller, id);
        if (current.isEmpty()) {
            return new Outcome.NotFound<>(id);
        }
        Instant now = clock.instant();
        Instant previousExpires = now.plus(grace.orElse(secretGrace));
        List<SigningSecret> secrets = new ArrayList<>();
        secrets.add(new SigningSecret(newSecret(), now, null));
        for (SigningSecret old : current.get().getSecrets()) {
            if (old.getExpiresAt() == null) {
                secrets.add(new SigningSecret(old.getSecret(), old.getCreatedAt(), previousExpires));
            } else if (old.getExpiresAt().isAfter(now)) {
                secrets.add(old);
            }
        }
        return checkAndWrite(Subscription.newBuilder(current.get()).setSecrets(secrets).setUpdatedAt(now).build(), new ArrayList<>());
    }

    /**
     * A synthetic call, tagged as a test, for this subscription only: its start and end events
     * go to the call events topic and through the whole pipeline like a real call's.
     */
    public Outcome<TestCall> sendTest(Principal caller, String id) {
        Optional<Subscription> found = get(caller, id);
        if (found.isEmpty()) {
            return new Outcome.NotFound<>(id);
        }
        Subscription subscription = found.get();
        long callId = TEST_CALL_IDS_FROM + (random.nextLong() & ((1L << 52) - 1));
        Instant now = clock.instant();
        List<CallPhase> phases = List.of(CallPhase.STARTED, CallPhase.ENDED);
        for (CallPhase phase : phases) {
            CallEvent event = CallEvent.newBuilder()
                    .setEventId("test-" + callId + "-" + phase)
                    .setCallId(callId)
                    .setAccountId(subscription.getAccountId())
                    .setProduct(subscription.getProduct())
                    .setPhase(phase)
                    .setOccurredAt(now)
                    .setCallDate(now)
                    .setOrderDate(now)
                    .setWidgetName("Test webhook")
                    .setManagerPhone("+70000000000")
                    .setClientPhone("+70000000001")
                    .setManagerSipStatus(200)
                    .setManagerSipReason("OK")
                    .setClientSipStatus(200)
                    .setClientSipReason("OK")
                    .setDurationSec(phase == CallPhase.ENDED ? 0 : null)
                    .setAttempt(1)
                    .setEventSource("test")
                    .setTags("test")
                    .setTest(true)
                    .setTargetSubscriptionId(subscription.getId())
                    .build();
            send(topics.callEvents().name(), Long.toString(callId),
                    topics.callEvents().valueSerde().serializer().serialize(topics.callEvents().name(), event));
        }
        return new Outcome.Done<>(new TestCall(callId, phases));
    }

    /** The test call sent: its id and events. */
    public record TestCall(long callId, List<CallPhase> events) {
    }

    private Outcome<Subscription> checkAndWrite(Subscription subscription, List<String> problems) {
        if (rules.check(subscription.getId(), subscription) instanceof Validated.Invalid<Subscription> invalid) {
            problems.addAll(invalid.errors());
        }
        if (!problems.isEmpty()) {
            return new Outcome.Refused<>(problems.stream().distinct().toList());
        }
        write(subscription.getId(), subscription);
        return new Outcome.Done<>(view.get(subscription.getId()).orElse(subscription));
    }

    /** Writes the subscription (or its deletion) and waits until this instance's view has read it. */
    private void write(String id, Subscription subscription) {
        byte[] value = subscription == null ? null
                : topics.subscriptions().valueSerde().serializer().serialize(topics.subscriptions().name(), subscription);
        RecordMetadata written = send(topics.subscriptions().name(), id, value);
        try {
            if (!view.awaitRead(new TopicPartition(written.topic(), written.partition()), written.offset(), WRITE_TIMEOUT)) {
                throw new IllegalStateException("the subscriptions topic was not read back within " + WRITE_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private RecordMetadata send(String topic, String key, byte[] value) {
        try {
            return producer.send(new ProducerRecord<>(topic, key, value)).get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not write to " + topic + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private String newId() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return "sub_" + HexFormat.of().formatHex(bytes);
    }

    private String newSecret() {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return SubscriptionRules.SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }
}
