package io.callhook.service.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/** {@link GroupStates} asked of the broker, as {@code kafka-consumer-groups.sh --describe --state} does. */
public final class AdminGroupStates implements GroupStates {

    private final Admin admin;
    private final Duration timeout;

    /**
     * @param timeout how long each question to the broker may take
     */
    public AdminGroupStates(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    @Override
    public Optional<GroupStatus> status(String groupId) throws Exception {
        ConsumerGroupDescription group;
        try {
            group = admin.describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return Optional.empty();
            }
            throw e;
        }
        int staticMembers = (int) group.members().stream().filter(member -> member.groupInstanceId().isPresent()).count();
        // toString is the coordinator's own spelling (PreparingRebalance), as kafka-consumer-groups.sh shows it.
        return Optional.of(new GroupStatus(group.groupState().toString(), group.coordinator().id(), group.members().size(),
                staticMembers));
    }
}
