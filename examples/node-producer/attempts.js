// Callhook example consumer: follows the delivery attempts of one account's webhooks, as a
// customer's dashboard or an integrator's monitoring would. It needs no compression plugin:
// Callhook keeps the topics that outside programs read in gzip, which kafkajs decodes itself.
//
//   KAFKA_BROKERS=127.0.0.1:19092 SCHEMA_REGISTRY_URL=http://127.0.0.1:18081/apis/ccompat/v7 \
//     ACCOUNT_ID=1001 node attempts.js
"use strict";

const crypto = require("node:crypto");
const { Kafka, logLevel } = require("kafkajs");
const { SchemaRegistry } = require("@kafkajs/confluent-schema-registry");
const { setting, brokers, registryUrl, accountId } = require("./settings");

const attemptsTopic = setting("ATTEMPTS_TOPIC", "webhooks.attempts");
// Stop after this many attempts of the account (0: follow until Ctrl-C).
const limit = Number(setting("LIMIT", "0"));

async function main() {
  const registry = new SchemaRegistry({ host: registryUrl });
  const kafka = new Kafka({ clientId: "callhook-example-attempts", brokers, logLevel: logLevel.WARN });
  // A group of its own, read from the beginning: every attempt still on the topic.
  const consumer = kafka.consumer({ groupId: `callhook-example-attempts-${crypto.randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic: attemptsTopic, fromBeginning: true });
  let seen = 0;
  const done = new Promise((resolve, reject) => {
    consumer.run({
      eachMessage: async ({ message }) => {
        const attempt = await registry.decode(message.value);
        if (attempt.accountId !== accountId) {
          return;
        }
        const status = attempt.httpStatus === null ? attempt.errorType : `HTTP ${attempt.httpStatus}`;
        console.log(`attempt ${attempt.attemptId} call ${attempt.callId} ${attempt.phase}: ${attempt.outcome} (${status}, ${attempt.latencyMs} ms)`);
        if (limit > 0 && ++seen >= limit) {
          resolve();
        }
      },
    }).catch(reject);
    consumer.on(consumer.events.CRASH, (event) => reject(event.payload.error));
  });
  process.on("SIGINT", () => consumer.disconnect().then(() => process.exit(0)));
  await done;
  await consumer.disconnect();
}

main().catch((error) => {
  console.error(`callhook example attempts reader failed: ${error.message}`);
  process.exit(1);
});
