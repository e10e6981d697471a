package io.callhook.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A port some process listens on at loopback is reported with its variable; a free one is not. */
class TakenPortsTest {

    @Test
    void aListenedPortIsTakenAndFreeOnceClosed() throws Exception {
        int port;
        try (ServerSocket other = new ServerSocket()) {
            other.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            port = other.getLocalPort();
            assertThat(TakenPorts.of(Map.of("CALLHOOK_DEMO_ENRICHER_OPS_PORT", port)))
                    .containsExactly(port + " (CALLHOOK_DEMO_ENRICHER_OPS_PORT)");
        }
        assertThat(TakenPorts.of(Map.of("CALLHOOK_DEMO_ENRICHER_OPS_PORT", port))).isEmpty();
    }

    @Test
    void everyPortOfTheDemoHasItsVariable() {
        DemoPorts ports = DemoPorts.from(Map.of("CALLHOOK_DEMO_INSPECTOR_PORT", "18490"));
        assertThat(ports.byVariable()).hasSize(8).containsEntry("CALLHOOK_DEMO_INSPECTOR_PORT", 18490)
                .containsEntry("CALLHOOK_DEMO_KAFKA_PORT", 19092).containsEntry("CALLHOOK_DEMO_STORE_OPS_PORT", 9403);
        assertThat(ports.byVariable().values()).doesNotHaveDuplicates();
    }
}
