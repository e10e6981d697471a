package io.callhook.service.kafka;

import java.util.Optional;

/**
 * A consumer group as its coordinator sees it. Beside {@link OffsetHolders} it tells apart the
 * reasons an application can stay out of RUNNING: a group still rebalancing (e.g. waiting for a
 * member that stopped without leaving, until its session times out), a group that is stable while
 * this member has not started processing (restoring state, or asking for committed offsets that
 * something holds), or a coordinator that does not answer.
 */
public interface GroupStates {

    /**
     * The group's state now; empty when its coordinator does not know it (it has no members and
     * no committed offsets); throws when the coordinator cannot be asked.
     */
    Optional<GroupStatus> status(String groupId) throws Exception;

    /**
     * @param state         the coordinator's name for the state, e.g. {@code PreparingRebalance}, {@code Stable}
     * @param coordinator   the id of the broker coordinating the group
     * @param members       members the coordinator counts, including any that stopped without leaving
     * @param staticMembers those among them with a {@code group.instance.id}
     */
    record GroupStatus(String state, int coordinator, int members, int staticMembers) {

        /** For a log line or a readiness answer, after the group's name. */
        public String describe() {
            return state + " on broker " + coordinator + " with " + members + (members == 1 ? " member" : " members")
                    + (staticMembers > 0 ? " (" + staticMembers + " static)" : "");
        }
    }
}
