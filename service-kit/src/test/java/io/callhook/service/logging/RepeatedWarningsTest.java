package io.callhook.service.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RepeatedWarningsTest {

    private static final String CONNECTION = "[Producer clientId=producer-1] Connection to node {} ({}) could not be established.";

    private final AtomicLong now = new AtomicLong();
    private final LoggerContext context = new LoggerContext();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private Logger networkClient;

    @BeforeEach
    void setUp() {
        RepeatedWarnings filter = new RepeatedWarnings(now::get);
        filter.setContext(context);
        filter.start();
        context.addTurboFilter(filter);
        appender.setContext(context);
        appender.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(appender);
        networkClient = context.getLogger("org.apache.kafka.clients.NetworkClient");
    }

    @Test
    void aRepeatedKafkaWarningIsLoggedOncePerMinuteWithHowManyWereLeftOut() {
        for (int attempt = 0; attempt < 100; attempt++) {
            networkClient.warn(CONNECTION, 1, "/127.0.0.1:9092");
            now.addAndGet(Duration.ofMillis(500).toNanos());
        }
        assertThat(messages()).containsExactly("[Producer clientId=producer-1] Connection to node 1 (/127.0.0.1:9092) could not be established.");

        now.addAndGet(Duration.ofSeconds(11).toNanos());
        networkClient.warn(CONNECTION, 1, "/127.0.0.1:9092");

        assertThat(messages()).hasSize(3).element(1).isEqualTo(
                "99 more warnings of org.apache.kafka.clients.NetworkClient like the next one were left out in the 60 s after the last one logged");
        assertThat(appender.list.get(1).getLoggerName()).isEqualTo(RepeatedWarnings.class.getName());
    }

    @Test
    void eachClientAndEachMessageCountsApart() {
        networkClient.warn(CONNECTION, 1, "/127.0.0.1:9092");
        networkClient.warn(CONNECTION.replace("producer-1", "producer-2"), 1, "/127.0.0.1:9092");
        networkClient.warn("[Producer clientId=producer-1] Bootstrap broker {} disconnected", "127.0.0.1:9092");
        networkClient.warn(CONNECTION, 1, "/127.0.0.1:9092");

        assertThat(messages()).hasSize(3);
    }

    @Test
    void errorsOtherLevelsAndOtherLoggersPassUntouched() {
        Logger ours = context.getLogger("io.callhook.dispatcher.publish.OutcomeWriter");
        for (int i = 0; i < 3; i++) {
            networkClient.error(CONNECTION, 1, "/127.0.0.1:9092");
            networkClient.info(CONNECTION, 1, "/127.0.0.1:9092");
            ours.warn(CONNECTION, 1, "/127.0.0.1:9092");
        }

        assertThat(messages()).hasSize(9);
    }

    @Test
    void aWindowBelowASecondIsRefused() {
        RepeatedWarnings filter = new RepeatedWarnings();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> filter.setWindowSeconds(0))
                .hasMessageContaining("windowSeconds");
    }

    private List<String> messages() {
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
}
