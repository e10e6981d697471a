package io.callhook.store.cli;

import static io.callhook.store.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.callhook.store.cli.CliRunner.Result;
import io.callhook.store.cli.FakeStore.Recorded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The {@code dead-letters} commands against a fake store. */
class DeadLetterCommandsTest {

    private static final String TOKEN = "admin-token-value";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @RegisterExtension
    final FakeStore store = FakeStore.start();

    @Test
    void listSendsTheSubscriptionAndPrintsATable() {
        store.answer("GET", "/api/v1/dead-letters", 200, Canned.DEAD_LETTERS);

        Result result = run("--url", store.url(), "--token", TOKEN, "dead-letters", "list", "--subscription", "sub_3xq8");

        assertThat(result.code()).isZero();
        Recorded request = store.onlyRequest();
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.rawQuery()).isEqualTo("subscriptionId=sub_3xq8");
        assertThat(request.authorization()).isEqualTo("Bearer " + TOKEN);
        assertThat(result.out()).isEqualTo("""
                DEAD AT               WEBHOOK  CALL  PHASE  ATTEMPTS  REASON CODE        REASON
                2026-11-24T10:00:00Z  msg_7    1001  ENDED  9         RETRIES_EXHAUSTED  9 attempts failed
                """);
        assertThat(result.all()).doesNotContain(TOKEN);
    }

    @Test
    void replaySendsTheWindowAsIsoTimes() throws Exception {
        store.answer("POST", "/api/v1/dead-letters/replay", 202, """
                {"replayId": "rpl_1", "subscriptionId": "sub_3xq8", "state": "DONE", "replayed": 3, "alreadyReplayed": 1,
                 "complete": true}
                """);

        Result result = run("--url", store.url(), "dead-letters", "replay", "--subscription", "sub_3xq8",
                "--from", "2026-11-23T09:00:00Z", "--to", "2026-11-23T10:00:00Z");

        assertThat(result.code()).isZero();
        Recorded request = store.onlyRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/api/v1/dead-letters/replay");
        assertThat(MAPPER.readTree(request.body())).isEqualTo(MAPPER.readTree("""
                {"subscriptionId": "sub_3xq8", "from": "2026-11-23T09:00:00Z", "to": "2026-11-23T10:00:00Z"}
                """));
        assertThat(result.out()).isEqualTo("Replayed 3 dead letters of subscription sub_3xq8 (1 replayed before, not sent again)\n");
    }

    @Test
    void aReplayStillRunningSaysHowToFollowIt() {
        store.answer("POST", "/api/v1/dead-letters/replay", 202,
                "{\"replayId\": \"rpl_2\", \"subscriptionId\": \"sub_3xq8\", \"state\": \"RUNNING\"}");
        store.answer("GET", "/api/v1/dead-letters/replays/rpl_2", 200, "{\"replayId\": \"rpl_2\", \"subscriptionId\": \"sub_3xq8\", "
                + "\"state\": \"DONE\", \"replayed\": 1000, \"alreadyReplayed\": 0, \"complete\": false}");

        Result running = run("--url", store.url(), "dead-letters", "replay", "--subscription", "sub_3xq8");
        Result status = run("--url", store.url(), "dead-letters", "replay-status", "rpl_2");

        assertThat(running.out()).isEqualTo("Replay rpl_2 of subscription sub_3xq8 is still running; ask how it went with: "
                + "dead-letters replay-status rpl_2\n");
        assertThat(status.out()).isEqualTo("Replayed 1000 dead letters of subscription sub_3xq8 (0 replayed before, not sent again); "
                + "more remain: run the same replay again\n");
    }

    @Test
    void replayWithoutAWindowSendsOnlyTheSubscription() throws Exception {
        store.answer("POST", "/api/v1/dead-letters/replay", 202, "{\"replayed\": 0}");

        Result result = run("--url", store.url(), "--json", "dead-letters", "replay", "--subscription", "sub_3xq8");

        assertThat(result.code()).isZero();
        assertThat(MAPPER.readTree(store.onlyRequest().body())).isEqualTo(MAPPER.readTree("{\"subscriptionId\": \"sub_3xq8\"}"));
        assertThat(result.out()).isEqualTo("{\"replayed\": 0}\n");
    }

    @Test
    void aWindowEndingBeforeItStartsIsAUsageError() {
        Result result = run("--url", store.url(), "dead-letters", "replay", "--subscription", "sub_3xq8",
                "--from", "2026-11-23T10:00:00Z", "--to", "2026-11-23T09:00:00Z");

        assertThat(result.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("--from 2026-11-23T10:00:00Z is after --to 2026-11-23T09:00:00Z");
        assertThat(store.requests()).isEmpty();
    }
}
