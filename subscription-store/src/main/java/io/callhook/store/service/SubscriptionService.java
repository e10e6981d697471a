package io.callhook.store.service;

import io.callhook.body.Validated;
import io.callhook.domain.SubscriptionView;
import io.callhook.model.CallEvent;
import io.callhook.model.CallPhase;
import io.callhook.model.SigningSecret;
import io.callhook.model.Subscription;
import io.callhook.store.api.Principal;
import io.callhook.subscription.SubscriptionRules;
import io.callhook.testcall.TestCallSample;
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
import java.util.function.Function;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Subscriptions as customers manage them. The compacted subscriptions topic is the only truth:
 * a change is written there, then read back by this instance's view before answering, so the
 * caller's next read shows it. Every change passes the same SubscriptionRules the other
 * services apply to the topic.
 *
 * <p>A change is made to the record as it stands: changes of one subscription on this instance
 * take turns, and each first waits until the view has read everything on the subscription's
 * partition (what other instances wrote included), so that a customer's change and the store's
 * own (auto-disable) never undo each other. Two instances changing the same subscription in the
 * same few milliseconds can still race; the topic has no compare-and-set.
 */
public final class SubscriptionService {

    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(15);
    private static final long TEST_CALL_IDS_FROM = 1L << 52;
    private static final int LOCK_STRIPES = 64;

    private final SubscriptionView view;
    private final Producer<String, byte[]> producer;
    private final Topics topics;
    private final SubscriptionRules rules;
    private final Clock clock;
    private final Duration secretGrace;
    private final int maxPerAccount;
    private final CatchUp catchUp;
    private final SecureRandom random = new SecureRandom();
    private final Object[] locks = new Object[LOCK_STRIPES];

    /**
     * @param maxPerAccount most subscriptions one account may have
     * @param catchUp       waits until the view has read a subscription's latest record
     */
    public SubscriptionService(SubscriptionView view, Producer<String, byte[]> producer, Topics topics, SubscriptionRules rules,
                               Clock clock, Duration secretGrace, int maxPerAccount, CatchUp catchUp) {
        this.view = view;
        this.producer = producer;
        this.topics = topics;
        this.rules = rules;
        this.clock = clock;
        this.secretGrace = secretGrace;
        this.maxPerAccount = maxPerAccount;
        this.catchUp = catchUp;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    /** Waits until the view has read every record written so far on a subscription's partition. */
    @FunctionalInterface
    public interface CatchUp {

        /** @throws IllegalStateException if that takes too long */
        void awaitLatest(String subscriptionId);
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
        if (input.accountId() == null) {
            return checkAndWrite(subscription, problems);
        }
        // Creates of one account take turns, so that two at once cannot both pass the count.
        synchronized (lockFor("account " + input.accountId())) {
            int existing = view.ofAccount(input.accountId()).size();
            if (problems.isEmpty() && existing >= maxPerAccount) {
                return new Outcome.Exceeded<>("account " + input.accountId() + " has " + existing + " subscriptions, the most "
                        + "one account may have (" + maxPerAccount + " subscriptions); delete one before adding another");
            }
            return checkAndWrite(subscription, problems);
        }
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
        return change(caller, id, current -> {
            List<String> problems = new ArrayList<>();
            Subscription changed = SubscriptionDrafts.change(current, input, present, replace, problems)
                    .setUpdatedAt(clock.instant()).build();
            return checkAndWrite(changed, problems);
        });
    }

    public Outcome<Void> delete(Principal caller, String id) {
        Outcome<Subscription> deleted = change(caller, id, current -> {
            write(id, null);
            return new Outcome.Done<>(current);
        });
        return deleted instanceof Outcome.Done<Subscription> ? new Outcome.Done<>(null) : new Outcome.NotFound<>(id);
    }

    /**
     * Disables a subscription whose endpoint has failed every attempt since {@code failingSince},
     * if it still has: counted from its last change instead when that is later (a new URL may be
     * the fix, and one re-enabled by its customer must not be disabled again at its next failure).
     *
     * @return the subscription as disabled, empty when it was not (gone, disabled already, or not failing long enough)
     */
    public Optional<Subscription> disableFailing(String id, Instant failingSince, Instant latestFailure, Duration after) {
        return disableIf(id, current -> {
            Instant since = current.getUpdatedAt().isAfter(failingSince) ? current.getUpdatedAt() : failingSince;
            return Duration.between(since, latestFailure).compareTo(after) < 0
                    ? Optional.empty() : Optional.of("every attempt failed since " + since);
        });
    }

    /**
     * Disables the subscription because its endpoint answered 410, on the record as it stands now
     * (so every other field is the customer's latest), unless it is disabled already or was
     * changed after that attempt began: then the customer's change wins (it may have moved the
     * URL), and a 410 from the endpoint it has now disables it.
     *
     * @param gone what the attempt says, e.g. "410 Gone from https://crm.example.com/hook"
     */
    public Optional<Subscription> disableGone(String id, String gone, Instant attemptStarted) {
        return disableIf(id, current -> current.getUpdatedAt().isAfter(attemptStarted)
                ? Optional.empty() : Optional.of(gone + " at " + attemptStarted));
    }

    /**
     * Disables the subscription, as it stands on the topic, with the reason {@code reasonFor}
     * gives; not when it is disabled already or {@code reasonFor} gives none.
     *
     * @return the subscription as disabled, empty when it was not
     */
    private Optional<Subscription> disableIf(String id, Function<Subscription, Optional<String>> reasonFor) {
        Outcome<Subscription> outcome = change(new Principal.Admin(), id, current -> {
            Optional<String> reason = current.getEnabled() ? reasonFor.apply(current) : Optional.empty();
            if (reason.isEmpty()) {
                return new Outcome.Refused<>(List.of("disabled already, or no reason to disable it"));
            }
            Subscription disabled = Subscription.newBuilder(current).setEnabled(false)
                    .setDisabledReason(reason.get()).setUpdatedAt(clock.instant()).build();
            return checkAndWrite(disabled, new ArrayList<>());
        });
        return outcome instanceof Outcome.Done<Subscription> done ? Optional.of(done.value()) : Optional.empty();
    }

    /** A new current secret; the previous one keeps signing for the grace period, so receivers can switch over. */
    public Outcome<Subscription> rotateSecret(Principal caller, String id, Optional<Duration> grace) {
        return change(caller, id, current -> rotate(current, grace));
    }

    private Outcome<Subscription> rotate(Subscription current, Optional<Duration> grace) {
        Instant now = clock.instant();
        Instant previousExpires = now.plus(grace.orElse(secretGrace));
        List<SigningSecret> secrets = new ArrayList<>();
        secrets.add(new SigningSecret(newSecret(), now, null));
        for (SigningSecret old : current.getSecrets()) {
            if (old.getExpiresAt() == null) {
                secrets.add(new SigningSecret(old.getSecret(), old.getCreatedAt(), previousExpires));
            } else if (old.getExpiresAt().isAfter(now)) {
                secrets.add(old);
            }
        }
        return checkAndWrite(Subscription.newBuilder(current).setSecrets(secrets).setUpdatedAt(now).build(), new ArrayList<>());
    }

    /**
     * Applies {@code change} to the subscription as it stands on the topic, after any change of it
     * under way on this instance.
     */
    private Outcome<Subscription> change(Principal caller, String id, Function<Subscription, Outcome<Subscription>> change) {
        if (get(caller, id).isEmpty()) {
            return new Outcome.NotFound<>(id);
        }
        synchronized (lockFor(id)) {
            catchUp.awaitLatest(id);
            Optional<Subscription> current = get(caller, id);
            return current.isEmpty() ? new Outcome.NotFound<>(id) : change.apply(current.get());
        }
    }

    private Object lockFor(String key) {
        return locks[Math.floorMod(key.hashCode(), locks.length)];
    }

    /**
     * A synthetic call ({@link TestCallSample}), tagged as a test, for this subscription only: the
     * events the subscription takes go to the call events topic and through the whole pipeline
     * like a real call's.
     */
    public Outcome<TestCall> sendTest(Principal caller, String id) {
        Optional<Subscription> found = get(caller, id);
        if (found.isEmpty()) {
            return new Outcome.NotFound<>(id);
        }
        Subscription subscription = found.get();
        long callId = TEST_CALL_IDS_FROM + (random.nextLong() & ((1L << 52) - 1));
        Instant now = clock.instant();
        List<CallPhase> phases = TestCallSample.phases(subscription);
        for (CallPhase phase : phases) {
            CallEvent event = TestCallSample.event(subscription, callId, phase, now);
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
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                // Well within WRITE_TIMEOUT only the producer's wait for the cluster's metadata
                // (max.block.ms) ends so: the record was never sent.
                throw new KafkaUnavailableException("Kafka does not answer, so the change was not saved; try again shortly",
                        e.getCause());
            }
            throw new IllegalStateException("could not write to " + topic + ": " + e.getMessage(), e);
        } catch (TimeoutException e) {
            throw new KafkaUnavailableException("Kafka did not confirm the change within " + WRITE_TIMEOUT.toSeconds()
                    + " s; it may still be saved: look before trying again", e);
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
