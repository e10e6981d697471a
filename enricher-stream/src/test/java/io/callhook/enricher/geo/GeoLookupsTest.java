package io.callhook.enricher.geo;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.callhook.body.Geo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class GeoLookupsTest {

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(GeoLookups.class);

    @BeforeEach
    void captureLogs() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void releaseLogs() {
        logger.detachAppender(logged);
    }

    @Test
    void noConfiguredPathTurnsGeoOffWithOneWarning() {
        GeoLookup lookup = GeoLookups.open(Optional.empty());

        assertThat(lookup).isInstanceOf(NoGeoLookup.class);
        assertThat(lookup.lookup("77.50.1.1")).isEqualTo(Geo.UNKNOWN);
        assertThat(oneWarning()).contains("Geo lookup is off", "no GeoLite2 City database is configured");
    }

    @Test
    void missingFileTurnsGeoOffWithOneWarningNamingIt() {
        Path missing = dir.resolve("GeoLite2-City.mmdb");

        assertThat(GeoLookups.open(Optional.of(missing))).isInstanceOf(NoGeoLookup.class);
        assertThat(oneWarning()).contains(missing.toString(), "does not exist");
    }

    @Test
    void directoryTurnsGeoOff() {
        assertThat(GeoLookups.open(Optional.of(dir))).isInstanceOf(NoGeoLookup.class);
        assertThat(oneWarning()).contains(dir.toString());
    }

    @Test
    void fileThatIsNoDatabaseTurnsGeoOff() throws IOException {
        Path garbage = Files.writeString(dir.resolve("GeoLite2-City.mmdb"), "not a MaxMind database");

        assertThat(GeoLookups.open(Optional.of(garbage))).isInstanceOf(NoGeoLookup.class);
        assertThat(oneWarning()).contains(garbage.toString(), "cannot be opened");
    }

    @Test
    void realDatabaseTurnsGeoOn() {
        try (GeoLookup lookup = GeoLookups.open(Optional.of(GeoDatabaseFile.require()))) {
            assertThat(lookup).isInstanceOf(CachingGeoLookup.class);
            assertThat(lookup.lookup("77.50.1.1").country()).isEqualTo("RU");
        }
        assertThat(logged.list).noneMatch(event -> event.getLevel() == Level.WARN);
    }

    private String oneWarning() {
        List<ILoggingEvent> warnings = logged.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
        assertThat(warnings).hasSize(1);
        return warnings.get(0).getFormattedMessage();
    }
}
