// Test driver: runs the guide's Node snippet on a captured webhook.
// Usage: node check.js <snippet.js> <webhook dir> <secret>; prints "valid <id>" or "invalid: <reason>".
const fs = require("node:fs");
const path = require("node:path");
const { verifyCallhookWebhook } = require(path.resolve(process.argv[2]));
const dir = process.argv[3];
const read = (name) => fs.readFileSync(path.join(dir, name));
const headers = {};
for (const line of read("headers").toString("utf8").split("\n").filter(Boolean)) {
  const colon = line.indexOf(": ");
  headers[line.slice(0, colon)] = line.slice(colon + 2);
}
try {
  const id = verifyCallhookWebhook(process.argv[4], read("method").toString(), read("query").toString(), read("body"), headers);
  console.log(`valid ${id}`);
} catch (error) {
  console.log(`invalid: ${error.message}`);
  process.exit(1);
}
