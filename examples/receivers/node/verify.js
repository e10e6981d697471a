const { Webhook } = require("standardwebhooks");

// Verifies a Callhook webhook; returns its webhook-id, throws if it is not authentic.
// secret: the subscription's "whsec_..." secret; headers: the request's headers (any case);
// rawQuery: the query string exactly as received (after "?"); rawBody: the body bytes as received.
function verifyCallhookWebhook(secret, method, rawQuery, rawBody, headers) {
  // POST, PUT and PATCH sign the body; GET has no body and signs the raw query string.
  const payload = method === "GET" ? rawQuery : rawBody;
  // Checks the timestamp (5 minutes either way) and every "v1," signature of the header.
  new Webhook(secret).verify(payload, headers, { jsonParse: false });
  return headers["webhook-id"];
}

module.exports = { verifyCallhookWebhook };
