package io.callhook.dispatcher.http;

import io.callhook.dispatcher.http.SendResult.AddressRefused;
import io.callhook.dispatcher.http.SendResult.ConnectionFailed;
import io.callhook.dispatcher.http.SendResult.Delivered;
import io.callhook.dispatcher.http.SendResult.ConnectionFault;
import io.callhook.dispatcher.http.SendResult.InvalidUrl;
import io.callhook.dispatcher.http.SendResult.Phase;
import io.callhook.dispatcher.http.SendResult.Rejected;
import io.callhook.dispatcher.http.SendResult.TimedOut;
import io.callhook.net.Category;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static java.util.stream.Collectors.toMap;
import static org.assertj.core.api.Assertions.assertThat;

/** The errorType strings are metric tag values and attempt-log fields: changing one breaks dashboards. */
class SendResultTest {

    private static final Duration D = Duration.ofMillis(5);

    @Test
    void errorTypesAreStable() {
        assertThat(new Delivered(200, "", D).errorType()).isEqualTo("NONE");
        assertThat(new Rejected(503, Optional.of("30"), "", D).errorType()).isEqualTo("HTTP_STATUS");
        assertThat(new TimedOut(Phase.CONNECT, D).errorType()).isEqualTo("TIMEOUT");
        assertThat(new TimedOut(Phase.RESPONSE, D).errorType()).isEqualTo("TIMEOUT");
        assertThat(new AddressRefused(Category.PRIVATE, "10.0.0.1 is a private address").errorType()).isEqualTo("REFUSED_ADDRESS");
        assertThat(new InvalidUrl("no host").errorType()).isEqualTo("INVALID_URL");
    }

    @Test
    void connectionFailuresNameTheirKind() {
        Map<ConnectionFault, String> types = Arrays.stream(ConnectionFault.values())
                .collect(toMap(kind -> kind, kind -> new ConnectionFailed(kind, "x", D).errorType(), (a, b) -> a, TreeMap::new));

        assertThat(types).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                ConnectionFault.REFUSED, "CONNECT",
                ConnectionFault.UNREACHABLE, "CONNECT",
                ConnectionFault.RESET, "CONNECT",
                ConnectionFault.DNS_FAILURE, "DNS",
                ConnectionFault.TLS, "TLS",
                ConnectionFault.PROTOCOL, "PROTOCOL",
                ConnectionFault.RESOLVER_BUSY, "RESOLVER_BUSY",
                ConnectionFault.OTHER, "OTHER")));
    }

    @Test
    void onlyDeliveredIsDelivered() {
        assertThat(new Delivered(204, "", D).isDelivered()).isTrue();
        assertThat(new Rejected(302, Optional.empty(), "", D).isDelivered()).isFalse();
    }
}
