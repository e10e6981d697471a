package io.callhook.service.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.service.kafka.GroupStates.GroupStatus;
import io.callhook.service.kafka.OffsetHolders.OpenTransaction;
import io.callhook.testkit.LogCapture;
import io.callhook.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class StalledGroupExplainerTest {

    private static final Duration AFTER = Duration.ofSeconds(15);
    private static final GroupStatus STABLE = new GroupStatus("Stable", 1, 1, 1);
    private static final String BOTH_STABLE = "; group 'calls' Stable on broker 1 with 1 member (1 static)"
            + "; group 'tables' Stable on broker 1 with 1 member (1 static)";

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-05T10:00:00Z"));
    private final AtomicBoolean running = new AtomicBoolean(false);
    private final Map<String, List<OpenTransaction>> holding = new HashMap<>();
    private final Map<String, GroupStatus> statuses = new HashMap<>();
    private final List<String> asked = new ArrayList<>();
    private Exception brokerFailure;

    private final OffsetHolders holders = groupId -> {
        asked.add(groupId);
        if (brokerFailure != null) {
            throw brokerFailure;
        }
        return holding.getOrDefault(groupId, List.of());
    };
    private final GroupStates groups = groupId -> {
        if (brokerFailure != null) {
            throw brokerFailure;
        }
        return statuses.containsKey(groupId) ? Optional.ofNullable(statuses.get(groupId)) : Optional.of(STABLE);
    };
    private final StalledGroupExplainer explainer = new StalledGroupExplainer(holders, groups, List.of("calls", "tables"),
            running::get, AFTER, clock);

    @Test
    void asksNothingWhileRunningOrBeforeTheStallHasLasted() {
        running.set(true);
        explainer.check();
        running.set(false);
        explainer.check();
        later(AFTER.minusSeconds(1));
        explainer.check();

        assertThat(asked).isEmpty();
        assertThat(explainer.explanation()).isEmpty();
    }

    @Test
    void namesTheTransactionsHoldingEachGroupsOffsetsOnceTheStallHasLasted() {
        holding.put("calls", List.of(transaction("callhook-enricher-1", "PrepareCommit", 95)));
        explainer.check();
        later(AFTER);
        explainer.check();

        assertThat(asked).containsExactly("calls", "tables");
        assertThat(explainer.explanation()).isEqualTo(BOTH_STABLE + "; committed offsets of group 'calls' held by transaction "
                + "'callhook-enricher-1' (producer 7 epoch 3, PrepareCommit for 95 s, timeout 10 s, overdue)");
    }

    @Test
    void saysSoWhenNoTransactionHoldsTheOffsets() {
        explainer.check();
        later(AFTER);
        explainer.check();

        assertThat(asked).containsExactly("calls", "tables");
        assertThat(explainer.explanation()).isEqualTo(BOTH_STABLE + "; no open transaction holds their committed offsets");
    }

    @Test
    void showsEachGroupsStateAsItsCoordinatorSeesIt() {
        // A restart that waits for the member it replaced: that member never left, and the
        // coordinator keeps it until its session times out.
        statuses.put("calls", new GroupStatus("PreparingRebalance", 2, 2, 0));
        // An application stalled before any member joined its group, which has no offsets yet.
        statuses.put("tables", null);
        explainer.check();
        later(AFTER);
        explainer.check();

        assertThat(explainer.explanation()).isEqualTo("; group 'calls' PreparingRebalance on broker 2 with 2 members"
                + "; group 'tables' unknown to its coordinator (no members, no offsets)"
                + "; no open transaction holds their committed offsets");
    }

    @Test
    void clearsOnceRunningAgain() {
        holding.put("tables", List.of(transaction("t-1", "Ongoing", 5)));
        explainer.check();
        later(AFTER);
        explainer.check();
        assertThat(explainer.explanation()).contains("'t-1'");

        running.set(true);
        explainer.check();

        assertThat(explainer.explanation()).isEmpty();
    }

    @Test
    void logsWhenTheHoldersOrAGroupsStateChangeNotEachTimeTheirAgesDo() {
        try (LogCapture log = new LogCapture(StalledGroupExplainer.class)) {
            explainer.check();
            later(AFTER);
            explainer.check();
            holding.put("calls", List.of(transaction("c-1", "Ongoing", 20)));
            later(Duration.ofSeconds(5));
            explainer.check();
            holding.put("calls", List.of(transaction("c-1", "Ongoing", 25)));
            later(Duration.ofSeconds(5));
            explainer.check();

            statuses.put("tables", new GroupStatus("PreparingRebalance", 1, 2, 2));
            later(Duration.ofSeconds(5));
            explainer.check();
            later(Duration.ofSeconds(5));
            explainer.check();

            assertThat(explainer.explanation()).contains("; committed offsets of group 'calls' held by transaction 'c-1'");
            assertThat(log.lines()).hasSize(3);
            assertThat(log.lines().get(0)).contains("Not processing for 15 s" + BOTH_STABLE
                    + "; no open transaction holds their committed offsets");
            assertThat(log.lines().get(1)).contains("Not processing for 20 s", "'c-1'");
            assertThat(log.lines().get(2)).contains("Not processing for 30 s", "group 'tables' PreparingRebalance", "'c-1'");
        }
    }

    @Test
    void aBrokerThatDoesNotAnswerIsTheReasonShown() {
        brokerFailure = new TimeoutException("Timed out waiting for a node assignment");
        explainer.check();
        later(AFTER);
        explainer.check();

        assertThat(explainer.explanation()).startsWith("; could not ask the broker about group 'calls': ")
                .contains("Timed out waiting for a node assignment", "about group 'tables'")
                .doesNotContain("no open transaction");
    }

    private void later(Duration by) {
        clock.advance(by);
    }

    private static OpenTransaction transaction(String id, String state, long openSeconds) {
        return new OpenTransaction(id, 7, 3, state, Duration.ofSeconds(openSeconds), Duration.ofSeconds(10));
    }
}
