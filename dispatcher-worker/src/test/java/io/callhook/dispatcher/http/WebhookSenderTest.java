package io.callhook.dispatcher.http;

import io.callhook.dispatcher.http.SendResult.AddressRefused;
import io.callhook.dispatcher.http.SendResult.ConnectionFailed;
import io.callhook.dispatcher.http.SendResult.Delivered;
import io.callhook.dispatcher.http.SendResult.ConnectionFault;
import io.callhook.dispatcher.http.SendResult.InvalidUrl;
import io.callhook.dispatcher.http.SendResult.Phase;
import io.callhook.dispatcher.http.SendResult.TimedOut;
import io.callhook.net.AddressPolicy;
import io.callhook.net.Category;
import io.callhook.testkit.SharedVertx;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static io.callhook.dispatcher.http.Fixtures.get;
import static io.callhook.dispatcher.http.Fixtures.ip;
import static io.callhook.dispatcher.http.Fixtures.ipv6Loopback;
import static io.callhook.dispatcher.http.Fixtures.post;
import static io.callhook.dispatcher.http.Fixtures.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SSRF guard and URL handling of the sender, with a recording fake in place of the network
 * and canned resolver answers: a refused destination must never reach the exchange. Nothing here
 * opens a socket or asks DNS.
 */
@ExtendWith(SharedVertx.class)
class WebhookSenderTest {

    private static final AddressPolicy LOOPBACK_ALLOWED = AddressPolicy.allowing("127.0.0.0/8,::1/128");

    private final Vertx vertx;

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final RecordingExchange exchange = new RecordingExchange();
    private final List<String> lookedUp = new ArrayList<>();

    WebhookSenderTest(Vertx vertx) {
        this.vertx = vertx;
    }

    @Test
    void privateAndMetadataLiteralsAreRefusedWithoutLookupOrConnection() throws Exception {
        WebhookSender sender = sender(AddressPolicy.STRICT, Map.of());

        assertRefused(sender, "http://10.0.0.1/hook", Category.PRIVATE);
        assertRefused(sender, "http://169.254.169.254/latest/meta-data/", Category.LINK_LOCAL);
        assertRefused(sender, "http://0x7f.1:8080/", Category.LOOPBACK);
        assertRefused(sender, "http://[::ffff:10.0.0.1]/", Category.PRIVATE);
        // 8.0.0.1 to browsers, 10.0.0.1 to parsers reading "010" as decimal: every reading must pass.
        assertRefused(sender, "http://010.0.0.1/", Category.PRIVATE);

        assertThat(lookedUp).isEmpty();
        assertThat(exchange.calls).isEmpty();
    }

    @Test
    void aNameResolvingToAPrivateAddressIsRefusedWithoutConnecting() throws Exception {
        WebhookSender sender = sender(AddressPolicy.STRICT, Map.of("internal.example.test", List.of(ip(10, 0, 0, 1))));

        SendResult result = result(sender.send(post("https://internal.example.test/hook", "{}")));

        assertThat(result).isInstanceOf(AddressRefused.class);
        assertThat(((AddressRefused) result).category()).isEqualTo(Category.PRIVATE);
        assertThat(((AddressRefused) result).reason()).contains("internal.example.test", "10.0.0.1");
        assertThat(lookedUp).containsExactly("internal.example.test");
        assertThat(exchange.calls).isEmpty();
    }

    @Test
    void oneRefusedAddressAmongAllowedOnesRefusesTheName() throws Exception {
        // The client could be steered to any of them later; the allowlist permits the first here.
        WebhookSender sender = sender(LOOPBACK_ALLOWED,
                Map.of("mixed.example.test", List.of(ip(127, 0, 0, 1), ip(192, 168, 1, 10))));

        SendResult result = result(sender.send(post("http://mixed.example.test/", "{}")));

        assertThat(result).isInstanceOf(AddressRefused.class);
        assertThat(((AddressRefused) result).category()).isEqualTo(Category.PRIVATE);
        assertThat(exchange.calls).isEmpty();
    }

    @Test
    void localhostIsRefusedByNameBeforeAnyLookup() throws Exception {
        WebhookSender sender = sender(AddressPolicy.STRICT, Map.of("localhost", List.of(ip(127, 0, 0, 1))));

        assertRefused(sender, "http://localhost:8080/", Category.LOOPBACK);
        assertRefused(sender, "http://api.localhost/", Category.LOOPBACK);

        assertThat(lookedUp).isEmpty();
        assertThat(exchange.calls).isEmpty();
    }

    @Test
    void anAllowedNameGoesToExactlyTheCheckedAddressUnderItsOwnName() throws Exception {
        WebhookSender sender = sender(LOOPBACK_ALLOWED,
                Map.of("hooks.example.test", List.of(ip(127, 0, 0, 5), ip(127, 0, 0, 6))));

        SendResult result = result(sender.send(post("https://hooks.example.test:8443/in?x=1", "{}")));

        assertThat(result).isInstanceOf(Delivered.class);
        assertThat(exchange.calls).hasSize(1);
        Destination destination = exchange.calls.get(0);
        assertThat(destination).isEqualTo(new Destination(ip(127, 0, 0, 5), "hooks.example.test", 8443, true, "/in?x=1"));
        // No name attached to the address, so nothing downstream can resolve it again.
        assertThat(destination.address().toString()).isEqualTo("/127.0.0.5");
        assertThat(exchange.starts).containsExactly(1_000_000_000L);
    }

    @Test
    void literalsKeepTheirTextForTheHostHeader() throws Exception {
        WebhookSender sender = sender(LOOPBACK_ALLOWED, Map.of());

        result(sender.send(post("http://[::1]:9000/a", "{}")));
        result(sender.send(post("http://127.0.0.1:9001/b", "{}")));

        assertThat(exchange.calls).containsExactly(
                new Destination(ipv6Loopback(), "[::1]", 9000, false, "/a"),
                new Destination(ip(127, 0, 0, 1), "127.0.0.1", 9001, false, "/b"));
    }

    @Test
    void hostNotFoundIsADnsFailureTimedByTheInjectedClock() throws Exception {
        HostResolver failing = (host, tenant, within) -> {
            nanos.addAndGet(7_000_000);
            return Future.failedFuture(new UnknownHostException(host + ": Name or service not known"));
        };
        WebhookSender sender = new WebhookSender(vertx, AddressPolicy.STRICT, failing, nanos::get, exchange);

        SendResult result = result(sender.send(post("https://gone.example.test/", "{}")));

        assertThat(result).isInstanceOf(ConnectionFailed.class);
        assertThat(((ConnectionFailed) result).kind()).isEqualTo(ConnectionFault.DNS_FAILURE);
        assertThat(((ConnectionFailed) result).latency()).isEqualTo(Duration.ofMillis(7));
        assertThat(result.errorType()).isEqualTo("DNS");
        assertThat(exchange.calls).isEmpty();
    }

    @Test
    void aLookupThatOutlivesTheTimeoutIsAConnectTimeout() throws Exception {
        HostResolver hanging = (host, tenant, within) -> Promise.<List<InetAddress>>promise().future();
        WebhookSender sender = new WebhookSender(vertx, AddressPolicy.STRICT, hanging, System::nanoTime, exchange);

        long start = System.nanoTime();
        SendResult result = result(sender.send(get("https://slow-dns.example.test/", Duration.ofMillis(200))));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(result).isInstanceOf(TimedOut.class);
        assertThat(((TimedOut) result).phase()).isEqualTo(Phase.CONNECT);
        assertThat(took).isBetween(Duration.ofMillis(150), Duration.ofSeconds(3));
        assertThat(exchange.calls).isEmpty();
    }

    @Test
    void unreadableUrlsAreInvalidWithoutAnyNetwork() throws Exception {
        WebhookSender sender = sender(AddressPolicy.STRICT, Map.of());

        for (String url : List.of("ftp://example.test/", "http://user:pw@example.test/", "http://a@b@example.test/",
                "http://evil\\@127.0.0.1/", "http://999.1.1.1/", "not a url")) {
            assertThat(result(sender.send(post(url, "{}")))).as(url).isInstanceOf(InvalidUrl.class);
        }
        assertThat(lookedUp).isEmpty();
        assertThat(exchange.calls).isEmpty();
    }

    private void assertRefused(WebhookSender sender, String url, Category category) throws Exception {
        SendResult result = result(sender.send(post(url, "{}")));
        assertThat(result).as(url).isInstanceOf(AddressRefused.class);
        assertThat(((AddressRefused) result).category()).as(url).isEqualTo(category);
        assertThat(result.errorType()).isEqualTo("REFUSED_ADDRESS");
    }

    private WebhookSender sender(AddressPolicy policy, Map<String, List<InetAddress>> answers) {
        HostResolver resolver = (host, tenant, within) -> {
            lookedUp.add(host);
            List<InetAddress> addresses = answers.get(host);
            return addresses == null ? Future.failedFuture(new UnknownHostException(host)) : Future.succeededFuture(addresses);
        };
        return new WebhookSender(vertx, policy, resolver, nanos::get, exchange);
    }

    /** Stands in for the network: records where requests would have gone. */
    private static final class RecordingExchange implements Exchange {
        final List<Destination> calls = new ArrayList<>();
        final List<Long> starts = new ArrayList<>();

        @Override
        public synchronized Future<SendResult> exchange(Destination destination, PreparedRequest request, long startNanos) {
            calls.add(destination);
            starts.add(startNanos);
            return Future.succeededFuture(new Delivered(200, "", Duration.ZERO));
        }

        @Override
        public void close() {
        }
    }
}
