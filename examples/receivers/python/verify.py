import base64
import hashlib
import hmac
import time

TOLERANCE_SECONDS = 5 * 60


def verify_callhook_webhook(secret, method, raw_query, raw_body, headers):
    """Returns the webhook-id of an authentic Callhook webhook; raises ValueError otherwise.

    secret: the subscription's "whsec_..." secret; headers: a dict with lower-case names;
    raw_query: the query string exactly as received (str, after "?"); raw_body: the body (bytes).
    """
    webhook_id = headers["webhook-id"]
    timestamp = headers["webhook-timestamp"]
    if abs(time.time() - int(timestamp)) > TOLERANCE_SECONDS:
        raise ValueError("timestamp too old or too new")
    # POST, PUT and PATCH sign the body; GET has no body and signs the raw query string.
    payload = raw_query.encode("utf-8") if method == "GET" else raw_body
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = webhook_id.encode("utf-8") + b"." + timestamp.encode("ascii") + b"." + payload
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode("ascii")
    # One "v1,<base64>" per active secret, space-separated: two while a secret is rotated.
    for candidate in headers["webhook-signature"].split(" "):
        version, _, signature = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(signature, expected):
            return webhook_id
    raise ValueError("no valid signature")
