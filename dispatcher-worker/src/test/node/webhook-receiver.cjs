'use strict';
// A webhook receiver that verifies signatures with the standardwebhooks npm package (Svix's
// reference library), written apart from Callhook's signer: what a customer would run.
//
// POST, PUT, PATCH: the signed content is the raw body. GET has no body: the signed content is
// the raw query string exactly as it arrived (everything after the first '?', '' if none).
//
// Answers 204 when the signature verifies, 401 when it does not. GET /__received lists what
// came, for the test. Prints {"port": N} once listening on 127.0.0.1 (loopback only).
//   WEBHOOK_SECRET  the subscription's secret, whsec_...
const http = require('node:http');
const { Webhook } = require('standardwebhooks');

const webhook = new Webhook(process.env.WEBHOOK_SECRET);
const received = [];

function signedContent(req, body) {
  if (req.method !== 'GET') {
    return body;
  }
  const question = req.url.indexOf('?');
  return question < 0 ? '' : req.url.slice(question + 1);
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/__received') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(received));
    return;
  }
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    let error = null;
    try {
      webhook.verify(signedContent(req, body), req.headers, { jsonParse: false });
    } catch (e) {
      error = String(e && e.message ? e.message : e);
    }
    received.push({ method: req.method, url: req.url, headers: req.headers, verified: error === null, error });
    res.writeHead(error === null ? 204 : 401, { 'content-type': 'text/plain' });
    res.end(error === null ? '' : error);
  });
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n');
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
