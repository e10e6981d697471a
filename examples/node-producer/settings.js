// The examples' settings, from environment variables; the defaults are the local demo's.
"use strict";

function setting(name, fallback) {
  const value = process.env[name];
  return value === undefined || value === "" ? fallback : value;
}

const accountId = Number(setting("ACCOUNT_ID", "1001"));
if (!Number.isSafeInteger(accountId) || accountId < 1) {
  console.error(`ACCOUNT_ID must be a whole number from 1 to 2^53, was '${process.env.ACCOUNT_ID}'`);
  process.exit(2);
}

module.exports = {
  setting,
  brokers: setting("KAFKA_BROKERS", "127.0.0.1:19092").split(","),
  // The registry's Confluent-compatible API, not its root.
  registryUrl: setting("SCHEMA_REGISTRY_URL", "http://127.0.0.1:18081/apis/ccompat/v7"),
  accountId,
};
