package io.callhook.dispatcher.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DestinationSlotsTest {

    private static final String HOST = "https://crm.example.com:443";
    private final List<String> grants = new ArrayList<>();
    private final DestinationSlots<String> slots = new DestinationSlots<>(2, (lane, destination) -> grants.add(lane + "@" + destination));

    @Test
    void freeSlotsAreTakenAtOnceAndGivenBack() {
        assertThat(slots.tryAcquire(HOST, "a")).isTrue();
        assertThat(slots.tryAcquire(HOST, "a")).isTrue();
        assertThat(slots.inUse(HOST)).isEqualTo(2);
        slots.release(HOST);
        slots.release(HOST);
        assertThat(slots.inUse(HOST)).isZero();
        assertThat(grants).isEmpty();
    }

    @Test
    void waitingLanesAreServedInTurnOneSlotEach() {
        slots.tryAcquire(HOST, "busy");
        slots.tryAcquire(HOST, "busy");
        assertThat(slots.tryAcquire(HOST, "a")).isFalse();
        assertThat(slots.tryAcquire(HOST, "b")).isFalse();
        assertThat(slots.tryAcquire(HOST, "a")).as("queued once").isFalse();
        // The busy lane wants another: it goes behind those already waiting, even as a slot frees.
        slots.release(HOST);
        assertThat(slots.tryAcquire(HOST, "busy")).isFalse();
        slots.release(HOST);
        assertThat(grants).containsExactly("a@" + HOST, "b@" + HOST);
        slots.release(HOST); // a done
        slots.release(HOST); // b done
        assertThat(grants).containsExactly("a@" + HOST, "b@" + HOST, "busy@" + HOST);
        assertThat(slots.inUse(HOST)).isEqualTo(1);
        assertThat(slots.waiting()).isZero();
    }

    @Test
    void destinationsAreIndependent() {
        slots.tryAcquire(HOST, "a");
        slots.tryAcquire(HOST, "a");
        assertThat(slots.tryAcquire("http://other.example:80", "b")).isTrue();
    }

    @Test
    void releasingWhatWasNotTakenIsABug() {
        assertThatThrownBy(() -> slots.release(HOST)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void destinationIsSchemeHostAndPort() {
        assertThat(DestinationSlots.destinationOf("https://CRM.example.com/hooks/1?x=1")).isEqualTo(HOST);
        assertThat(DestinationSlots.destinationOf("http://crm.example.com/a")).isEqualTo("http://crm.example.com:80");
        assertThat(DestinationSlots.destinationOf("http://127.0.0.1:8080/b")).isEqualTo("http://127.0.0.1:8080");
        assertThat(DestinationSlots.destinationOf("not a url")).isEqualTo("not a url");
    }
}
