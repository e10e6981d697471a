<?php
const CALLHOOK_TOLERANCE_SECONDS = 300;

/**
 * Returns the webhook-id of an authentic Callhook webhook; throws otherwise.
 * $secret: the subscription's "whsec_..." secret; $headers: lower-case names => values;
 * $rawQuery: $_SERVER['QUERY_STRING']; $rawBody: file_get_contents('php://input').
 */
function verify_callhook_webhook(string $secret, string $method, string $rawQuery, string $rawBody, array $headers): string
{
    $id = $headers['webhook-id'];
    $timestamp = $headers['webhook-timestamp'];
    if (abs(time() - (int) $timestamp) > CALLHOOK_TOLERANCE_SECONDS) {
        throw new RuntimeException('timestamp too old or too new');
    }
    // POST, PUT and PATCH sign the body; GET has no body and signs the raw query string.
    $payload = $method === 'GET' ? $rawQuery : $rawBody;
    $key = base64_decode(substr($secret, strlen('whsec_')), true);
    $expected = base64_encode(hash_hmac('sha256', "$id.$timestamp.$payload", $key, true));
    // One "v1,<base64>" per active secret, space-separated: two while a secret is rotated.
    foreach (explode(' ', $headers['webhook-signature']) as $candidate) {
        [$version, $signature] = array_pad(explode(',', $candidate, 2), 2, '');
        if ($version === 'v1' && hash_equals($expected, $signature)) {
            return $id;
        }
    }
    throw new RuntimeException('no valid signature');
}
