package io.callhook.store.cli;

/** Answers shaped as API.md shows them, for the fake store to return. */
final class Canned {

    /** As create and rotate-secret answer: with the signing secret. */
    static final String SUBSCRIPTION = """
            {
              "id": "sub_3xq8",
              "accountId": 42,
              "product": "CALLTRACKING",
              "url": "https://crm.example.com/hooks/calls",
              "method": "POST",
              "contentType": "application/json",
              "events": ["STARTED", "ENDED"],
              "renames": {"visit_info.udata.uag": "user_agent"},
              "params": {"secret": "shared-with-crm"},
              "headers": {"X-Api-Key": "k-123"},
              "rateLimit": null,
              "enabled": true,
              "disabledReason": null,
              "secret": "whsec_c2VjcmV0",
              "previousSecretExpiresAt": null,
              "createdAt": "2026-11-23T09:15:30Z",
              "updatedAt": "2026-11-23T09:15:30Z",
              "counters": {"sent": 2, "failed": 0, "lastAttemptAt": "2026-11-23T09:16:01Z", "lastStatus": 200, "lastOutcome": "DELIVERED"}
            }
            """;

    /** As get and update answer: no secret. */
    static final String SUBSCRIPTION_VIEW = SUBSCRIPTION.replace("  \"secret\": \"whsec_c2VjcmV0\",\n", "");

    static final String SECRET = """
            {"id": "sub_3xq8", "secret": "whsec_c2VjcmV0", "previousSecretExpiresAt": "2026-11-24T09:15:30Z"}
            """;

    static final String LIST = """
            {"subscriptions": [
              {"id": "sub_3xq8", "accountId": 42, "product": "CALLKEEPER", "url": "https://crm.example.com/hooks/calls",
               "method": "POST", "contentType": "application/json", "events": ["STARTED", "ENDED"], "renames": {},
               "params": {}, "headers": {}, "rateLimit": null, "enabled": true, "disabledReason": null,
               "previousSecretExpiresAt": null, "createdAt": "2026-11-23T09:15:30Z",
               "updatedAt": "2026-11-23T09:15:30Z",
               "counters": {"sent": 2, "failed": 0, "lastAttemptAt": null, "lastStatus": null, "lastOutcome": null}},
              {"id": "sub_9", "accountId": 42, "product": "CALLTRACKING", "url": "http://x.example/h",
               "method": "GET", "contentType": "application/json", "events": ["ENDED"], "renames": {},
               "params": {}, "headers": {}, "rateLimit": 5, "enabled": false, "disabledReason": "receiver answered 410",
               "previousSecretExpiresAt": null, "createdAt": "2026-11-23T09:15:30Z",
               "updatedAt": "2026-11-23T09:15:30Z",
               "counters": {"sent": 1234, "failed": 15, "lastAttemptAt": null, "lastStatus": null, "lastOutcome": null}}
            ]}
            """;

    static final String ATTEMPTS = """
            {"attempts": [
              {"attemptId": "msg_1/2", "webhookId": "msg_1", "attemptNumber": 2, "startedAt": "2026-11-23T09:16:01Z",
               "outcome": "DELIVERED", "status": 200, "latencyMs": 41, "errorType": null, "errorMessage": null,
               "responseExcerpt": "ok", "callId": 1001, "phase": "ENDED", "test": false},
              {"attemptId": "msg_1/1", "webhookId": "msg_1", "attemptNumber": 1, "startedAt": "2026-11-23T09:16:00Z",
               "outcome": "RETRYING", "status": null, "latencyMs": 5000, "errorType": "TIMEOUT",
               "errorMessage": "no answer in 5s", "responseExcerpt": null, "callId": 1001, "phase": "ENDED", "test": true}
            ], "next": "9223370272346159807/msg_1/1"}
            """;

    static final String RESEND = """
            {"webhookId": "msg_1", "resendId": "resend_0a1b2c3d4e5f", "attemptIdPrefix": "msg_1/resend_0a1b2c3d4e5f/"}
            """;

    static final String DEAD_LETTERS = """
            {"deadLetters": [
              {"reasonCode": "RETRIES_EXHAUSTED", "reason": "9 attempts failed", "deadAt": "2026-11-24T10:00:00Z",
               "webhookId": "msg_7", "callId": 1001, "phase": "ENDED", "attempts": 9}
            ]}
            """;

    static final String INVALID = """
            {"error": "invalid subscription",
             "problems": ["url: must be an absolute http or https URL", "events: must not be empty"]}
            """;

    private Canned() {
    }
}
