package io.callhook.store.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RussianProblemsTest {

    private static final Pattern CYRILLIC = Pattern.compile("[\\u0400-\\u04FF]");

    /** Problems as the rules and the API word them (copied from their sources). */
    private static final List<String> PROBLEMS = List.of(
            "url: missing",
            "url: missing (PUT replaces every changeable field; PATCH changes some)",
            "product: missing (CALLKEEPER or CALLTRACKING)",
            "method: missing (POST, GET, PUT or PATCH)",
            "subscriptionId: required",
            "accountId: required with the admin token",
            "product: cannot be changed",
            "id: is assigned by the store",
            "limit: must be a number",
            "accountId: 'x42' is not a number",
            "graceSeconds: must be a whole number of seconds, 0 or more",
            "colour: is not a field of a subscription",
            "events: has the wrong type",
            "body: not valid JSON",
            "body: must be a JSON object",
            "rateLimitPerSecond: 0 is outside 1..1000 (or null for no limit)",
            "accountId: 0 is outside 1..9007199254740991",
            "id: must be 1..128 characters",
            "url: longer than 2048 characters",
            "url: not a valid URL (Illegal character in path at index 18)",
            "url: must be an absolute http or https URL",
            "url: must not carry a user name or password (put credentials in headers or params)",
            "url: has no valid host",
            "product: must be CALLKEEPER or CALLTRACKING",
            "events: CALLKEEPER subscriptions receive exactly [STARTED, ENDED]",
            "format: CALLKEEPER subscriptions are sent as JSON with POST",
            "renames: CALLKEEPER subscriptions send the documented keys; renames are a CALLTRACKING option",
            "events: choose at least one of STARTED, ENDED",
            "events: [ENDED, ENDED] must be distinct values among STARTED, ENDED",
            "headers: at most 20 headers",
            "headers: 'X Bad' is not a valid header name",
            "headers: 'Content-Type' is set by Callhook and cannot be overridden",
            "headers: 'x-a' is given twice (header names ignore case; also given as 'X-A')",
            "headers: the value of 'X-A' must be at most 4096 characters without CR, LF or NUL",
            "renames: 'visit_info.nope' is not a documented key",
            "renames: 'phone2' -> '2bad' is not a valid key name (1 to 64 ASCII letters, digits, _ or -)",
            "renames: 'phone1', 'phone2' would both be named 'phone'",
            "params: 'bad name' is not a valid parameter name (1 to 64 ASCII letters, digits, _ or -)",
            "params: 'token' has no value (use \"\" for an empty one)",
            "params: 'phone2' collides with the body key 'phone2'",
            "method: 'DELETE' is not POST, GET, PUT or PATCH",
            "contentType: 'text/plain' is not application/json or application/x-www-form-urlencoded",
            "events: 'MIDDLE' is not STARTED or ENDED",
            "limit: must be a whole number from 1 to 200",
            "callId: must be a whole number",
            "before: not a cursor of this API (use the 'next' of a page)",
            "outcome: must be one of [DELIVERED, RETRYING, DEAD_LETTERED, DISABLED, DROPPED]",
            "url: 10.0.0.1 is a private address (RFC 1918)",
            "url: 169.254.169.254 is a link-local address (the cloud instance metadata service)",
            "url: 0.0.0.0 is an unspecified address (\"this network\", RFC 791)",
            "url: 100.64.0.1 is a shared (carrier-grade NAT) address (RFC 6598)",
            "url: ::ffff:127.0.0.1 is a loopback address (IPv4-mapped 127.0.0.1: RFC 1122)",
            "url: the host is 10.0.0.1 to parsers that read leading zeros as decimal, and 8.0.0.1 is a reserved address (x)",
            "url: localhost is a loopback name (RFC 6761: it always means this host)",
            "url: host is empty",
            "url: host contains a space or control character",
            "url: host '1.2.3.999' ends in a number but is not a valid IPv4 address",
            "url: host '[fe80::1%eth0]' has an IPv6 zone id",
            "url: host '[::g]' is not a valid IPv6 address",
            "url: host 'xn--a' is not a valid international domain name",
            "url: URL 'http:\\\\x' contains a backslash");

    @Test
    void everyProblemTheApiWordsComesInRussianKeepingItsField() {
        for (String problem : PROBLEMS) {
            String russian = RussianProblems.translate(problem);
            assertThat(russian).as(problem).containsPattern(CYRILLIC).startsWith(problem.substring(0, problem.indexOf(':') + 1));
        }
        assertThat(RussianProblems.translate("url: must be an absolute http or https URL"))
                .isEqualTo("url: нужен абсолютный URL http или https");
        assertThat(RussianProblems.translate("method: 'DELETE' is not POST, GET, PUT or PATCH"))
                .isEqualTo("method: 'DELETE' — не POST, GET, PUT или PATCH");
        assertThat(RussianProblems.translate("headers: 'x-a' is given twice (header names ignore case; also given as 'X-A')"))
                .isEqualTo("headers: 'x-a' указан дважды (имена заголовков не различают регистр; также указан как 'X-A')");
        assertThat(RussianProblems.translate("url: 10.0.0.1 is a private address (RFC 1918)"))
                .isEqualTo("url: 10.0.0.1 — частный адрес (RFC 1918)");
    }

    @Test
    void aProblemNoRuleKnowsStaysAsTheApiWordsIt() {
        assertThat(RussianProblems.translate("url: a wording added later"))
                .isEqualTo("url: a wording added later");
    }

    @Test
    void russianIsWantedWhenItIsTheClientsFirstLanguage() {
        assertThat(RussianProblems.wanted("ru")).isTrue();
        assertThat(RussianProblems.wanted("ru-RU,ru;q=0.9,en;q=0.8")).isTrue();
        assertThat(RussianProblems.wanted("RU")).isTrue();
        assertThat(RussianProblems.wanted("en")).isFalse();
        assertThat(RussianProblems.wanted("en-US,en;q=0.9,ru;q=0.8")).isFalse();
        assertThat(RussianProblems.wanted("rus")).isFalse();
        assertThat(RussianProblems.wanted("")).isFalse();
        assertThat(RussianProblems.wanted(null)).isFalse();
    }
}
