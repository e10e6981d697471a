package io.callhook.dispatcher;

import static io.callhook.dispatcher.DispatcherHarness.request;
import static io.callhook.dispatcher.DispatcherHarness.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.dispatcher.engine.EngineConfig;
import io.callhook.dispatcher.retry.RetrySchedule;
import io.callhook.model.AttemptOutcome;
import io.callhook.model.DeadLetter;
import io.callhook.model.DeliveryAttempt;
import io.callhook.model.Subscription;
import io.callhook.net.AddressPolicy;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import io.callhook.testsupport.Receiver;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The SSRF guard with the allowlist off, as in production: URLs that reach loopback, written
 * as an IPv4 literal, an IPv6 literal or a host name resolving to loopback, are dead-lettered
 * at once without a connection. Only loopback receivers are involved; other refused ranges are
 * unit tests of the address check (io.callhook.net), with no network.
 */
@RealInfra
class SsrfIT {

    @Test
    void loopbackTargetsAreRefusedWithoutAConnectionAndDeadLettered(Infra infra) throws Exception {
        try (DispatcherHarness harness = DispatcherHarness.start(infra, "ssrf.", RetrySchedule.DEFAULT, AddressPolicy.STRICT,
                Duration.ofSeconds(2), EngineConfig.DEFAULTS);
             Receiver v4 = Receiver.start(harness.vertx);
             Receiver v6 = Receiver.startOn(harness.vertx, "::1")) {
            List<Subscription> targets = List.of(
                    subscription("ssrf-v4", v4.url("/internal")),
                    subscription("ssrf-v6", v6.url("/internal")),
                    subscription("ssrf-name", "http://localhost:" + v4.port() + "/internal"));
            for (Subscription target : targets) {
                harness.subscribe(target);
                harness.publish(request("msg_" + target.getId(), target, 1));
            }

            for (Subscription target : targets) {
                DeliveryAttempt attempt = Awaitility.await().atMost(Duration.ofSeconds(15))
                        .until(() -> harness.attemptsOf("msg_" + target.getId()), found -> !found.isEmpty()).get(0);
                assertThat(attempt.getOutcome()).as(target.getUrl()).isEqualTo(AttemptOutcome.DEAD_LETTERED);
                assertThat(attempt.getErrorType()).isEqualTo("REFUSED_ADDRESS");
                assertThat(attempt.getErrorMessage()).contains("loopback");
            }
            List<DeadLetter> letters = Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(harness.deadLetters::values, found -> found.size() >= 3);
            assertThat(letters).extracting(DeadLetter::getReasonCode).containsOnly("REFUSED_ADDRESS");
            assertThat(letters).allSatisfy(letter -> assertThat(letter.getRequest().getAttempts()).hasSize(1));
            Thread.sleep(500);
            assertThat(v4.connections()).as("connections to 127.0.0.1").isZero();
            assertThat(v6.connections()).as("connections to ::1").isZero();
        }
    }
}
