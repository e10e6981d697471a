// Callhook example producer: what a site tracker and a telephony backend publish.
//
// Publishes one visit, then a CallKeeper call and a Calltracking call of that visitor, each
// when it starts and when it is over: four call events. Values are Avro in the Confluent wire
// format, encoded with the schema that Callhook registered under "<topic>-value".
//
//   npm ci
//   KAFKA_BROKERS=127.0.0.1:19092 SCHEMA_REGISTRY_URL=http://127.0.0.1:18081/apis/ccompat/v7 \
//     ACCOUNT_ID=1001 node producer.js
"use strict";

const crypto = require("node:crypto");
const { Kafka, Partitioners, logLevel } = require("kafkajs");
const { SchemaRegistry } = require("@kafkajs/confluent-schema-registry");
const { setting, brokers, registryUrl, accountId } = require("./settings");

const callsTopic = setting("CALLS_TOPIC", "calls.events");
const visitsTopic = setting("VISITS_TOPIC", "visits");
// A visitor reads the site before calling; the enricher joins a call with the latest visit it
// has read when the call arrives, so the visit goes first.
const visitLeadMs = Number(setting("VISIT_LEAD_MS", "2000"));

async function main() {
  const registry = new SchemaRegistry({ host: registryUrl });
  // The subjects follow Confluent's TopicNameStrategy; Callhook registers them when it starts.
  const visitSchema = await registry.getLatestSchemaId(`${visitsTopic}-value`);
  const callSchema = await registry.getLatestSchemaId(`${callsTopic}-value`);

  const kafka = new Kafka({ clientId: "callhook-example-producer", brokers, logLevel: logLevel.WARN });
  // The default partitioner hashes keys as Java clients do, so a key lands where theirs would.
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    const visit = visitOf(`visitor-${crypto.randomUUID()}`);
    await publish(producer, visitsTopic, visit.visitorId, await registry.encode(visitSchema, visit),
      `visit ${visit.visitorId}`);
    await sleep(visitLeadMs);

    // Call ids are the platform's own; here, unique per run and below 2^53.
    const firstId = Date.now() * 100;
    const calls = [
      { callId: firstId + 1, product: "CALLKEEPER" },
      { callId: firstId + 2, product: "CALLTRACKING" },
    ];
    const startedAt = Date.now();
    for (const phase of ["STARTED", "ENDED"]) {
      for (const call of calls) {
        const event = callEvent(call, phase, visit, startedAt);
        // Key: the call id, so both events of a call stay in order on one partition.
        await publish(producer, callsTopic, String(event.callId), await registry.encode(callSchema, event),
          `call ${event.callId} ${event.product} ${event.phase}`);
      }
    }
  } finally {
    await producer.disconnect();
  }
}

async function publish(producer, topic, key, value, what) {
  const [sent] = await producer.send({ topic, messages: [{ key, value }] });
  console.log(`published ${what} to ${topic} (partition ${sent.partition}, offset ${sent.baseOffset})`);
}

function visitOf(visitorId) {
  return {
    visitorId,
    current: { utmSource: "yandex", utmMedium: "cpc", utmCampaign: "spring sale", utmContent: "banner-1", utmTerm: "диван" },
    first: { utmSource: "google", utmMedium: "organic", utmCampaign: null, utmContent: null, utmTerm: null },
    pagesViewed: 4,
    currentPage: "https://shop.example.ru/contacts",
    visitNumber: 3,
    userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
    ip: "77.50.1.1",
    gaClientId: "GA1.2.1234567890.1543925000",
    yaClientId: "1543925000123456789",
    // Fields left out take their schema default (null here): gaClid, roistatVisit.
    updatedAt: Date.now(),
  };
}

function callEvent({ callId, product }, phase, visit, startedAt) {
  const ended = phase === "ENDED";
  return {
    eventId: crypto.randomUUID(),
    callId,
    accountId,
    product,
    phase,
    occurredAt: Date.now(),
    callDate: startedAt,
    orderDate: startedAt - 30000,
    widgetHash: "5f4dcc3b5aa765d61d8327deb882cf99",
    widgetName: "custom css",
    visitorId: visit.visitorId,
    clientIp: "77.50.1.1",
    site: "shop.example.ru",
    managerPhone: "+74951234567 [101]",
    clientPhone: "+79161234567",
    // SIP statuses, duration and the recording are known once the call is over: null before.
    managerSipStatus: ended ? 200 : null,
    managerSipReason: ended ? "OK" : null,
    clientSipStatus: ended ? 200 : null,
    clientSipReason: ended ? "OK" : null,
    durationSec: ended ? 75 : null,
    aType: 0,
    asrAttempts: 0,
    attempt: 1,
    playbackTick: ended ? 1 : 0,
    recordUrl: ended ? `https://records.example.ru/calls/${callId}.mp3` : null,
    tags: " ",
    eventSource: "widget",
  };
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

main().catch((error) => {
  console.error(`callhook example producer failed: ${error.message}`);
  process.exit(1);
});
