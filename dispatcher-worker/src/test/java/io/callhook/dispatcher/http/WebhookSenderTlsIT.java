package io.callhook.dispatcher.http;

import io.callhook.dispatcher.http.SendResult.ConnectionFailed;
import io.callhook.dispatcher.http.SendResult.ConnectionFault;
import io.callhook.dispatcher.http.SendResult.Delivered;
import io.callhook.net.AddressPolicy;
import io.callhook.testkit.SharedVertx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.callhook.dispatcher.http.Fixtures.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTPS to a loopback receiver whose self-signed certificate names {@code hooks.localhost} only.
 * The sender connects to the checked address (127.0.0.1, a canned answer: no DNS) yet verifies
 * the certificate against, and sends SNI for, the URL's name: connecting to an address does not
 * cost the TLS identity check. (The JDK sends SNI only for names with a dot, hence not plain
 * {@code localhost}.)
 */
@ExtendWith(SharedVertx.class)
class WebhookSenderTlsIT {

    private static final AddressPolicy LOOPBACK_ALLOWED = AddressPolicy.allowing("127.0.0.0/8,::1/128");
    private static final String NAME = "hooks.localhost";
    private static final HostResolver CANNED = (host, tenant, within) -> host.equals(NAME)
            ? Future.succeededFuture(List.of(Fixtures.ip(127, 0, 0, 1)))
            : Future.failedFuture(new UnknownHostException(host));
    private static final SenderConfig CONFIG = SenderConfig.defaults().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5));

    private static SelfSignedCertificate certificate;

    private final Vertx vertx;

    private final List<AutoCloseable> closeAfter = new CopyOnWriteArrayList<>();
    private final List<String> serverNames = new CopyOnWriteArrayList<>();

    WebhookSenderTlsIT(Vertx vertx) {
        this.vertx = vertx;
    }

    /**
     * Valid from an hour ago for a day, given explicitly: the default ends on 9999-12-31, and Netty
     * asks {@code keytool} for a number of days to reach it from a start written in the JVM's time
     * zone (Moscow in our tests) but read in the system's (UTC), so between 21:00 and 24:00 UTC the
     * end fell in year 10000 and keytool refused it.
     */
    @BeforeAll
    static void start() throws Exception {
        Instant now = Instant.now();
        certificate = new SelfSignedCertificate(NAME, Date.from(now.minusSeconds(3600)), Date.from(now.plusSeconds(86_400)));
    }

    @AfterAll
    static void stop() {
        certificate.delete();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : closeAfter) {
            closeable.close();
        }
    }

    @Test
    void theUrlsNameIsVerifiedAndSentAsSniWhileTheCheckedAddressIsConnectedTo() throws Exception {
        Receiver receiver = tlsReceiver();

        SendResult result = result(trusting().send(Fixtures.post("https://" + NAME + ":" + receiver.port() + "/secure", "{}")));

        assertThat(result).isInstanceOf(Delivered.class);
        assertThat(((Delivered) result).responseExcerpt()).isEqualTo("tls ok");
        assertThat(receiver.requests().get(0).localAddress()).isEqualTo("127.0.0.1");
        assertThat(serverNames).containsExactly(NAME);
        assertThat(receiver.requests().get(0).header("Host")).isEqualTo(NAME + ":" + receiver.port());
    }

    @Test
    void aCertificateForAnotherNameIsATlsFailure() throws Exception {
        Receiver receiver = tlsReceiver();

        // Same address, but the URL names 127.0.0.1, which the certificate does not.
        SendResult result = result(trusting().send(Fixtures.post("https://127.0.0.1:" + receiver.port() + "/", "{}")));

        assertTls(result);
        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void anUntrustedCertificateIsATlsFailure() throws Exception {
        Receiver receiver = tlsReceiver();
        WebhookSender defaultTrust = new WebhookSender(vertx, CONFIG, LOOPBACK_ALLOWED, CANNED, System::nanoTime);
        closeAfter.add(defaultTrust);

        assertTls(result(defaultTrust.send(Fixtures.post("https://" + NAME + ":" + receiver.port() + "/", "{}"))));
        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void httpsToAPlainHttpReceiverIsATlsFailure() throws Exception {
        Receiver plain = Receiver.start(vertx, "127.0.0.1", Receiver.status(200, "plain"));
        closeAfter.add(plain);

        assertTls(result(trusting().send(Fixtures.post("https://" + NAME + ":" + plain.port() + "/", "{}"))));
    }

    private static void assertTls(SendResult result) {
        assertThat(result).isInstanceOf(ConnectionFailed.class);
        assertThat(((ConnectionFailed) result).kind()).isEqualTo(ConnectionFault.TLS);
        assertThat(result.errorType()).isEqualTo("TLS");
    }

    private Receiver tlsReceiver() {
        HttpServerOptions options = new HttpServerOptions().setSsl(true).setSni(true).setKeyCertOptions(new PemKeyCertOptions()
                .setCertPath(certificate.certificate().getPath()).setKeyPath(certificate.privateKey().getPath()));
        Receiver receiver = Receiver.start(vertx, options, "127.0.0.1", (request, body) -> {
            serverNames.add(String.valueOf(request.connection().indicatedServerName()));
            request.response().end("tls ok");
        });
        closeAfter.add(receiver);
        return receiver;
    }

    /** A sender that trusts the test certificate. */
    private WebhookSender trusting() {
        VertxExchange exchange = new VertxExchange(vertx, CONFIG, System::nanoTime,
                options -> options.setTrustOptions(new PemTrustOptions().addCertPath(certificate.certificate().getPath())));
        WebhookSender sender = new WebhookSender(vertx, LOOPBACK_ALLOWED, CANNED, System::nanoTime, exchange);
        closeAfter.add(sender);
        return sender;
    }
}
