// The official Omnimessage Node client (`npm install messente_api`), unchanged, against
// `smsctl gateway serve`. Run by tests/it/gateway.rs; set up by scripts/node-client-check.sh.
//
// Environment: GATEWAY_URL (http://ADDR/v1), KEY_ID, KEY_SECRET, NODE_PATH (where messente_api
// is installed). The key must allow 127.0.0.1 and have a default sender. Records 4 messages;
// prints one line per check and "OK" at the end. The client has no bulk call.
'use strict';

const assert = require('assert');
const MessenteApi = require('messente_api');

const client = MessenteApi.ApiClient.instance;
client.basePath = process.env.GATEWAY_URL;
client.authentications.basicAuth.username = process.env.KEY_ID;
client.authentications.basicAuth.password = process.env.KEY_SECRET;

const omni = new MessenteApi.OmnimessageApi();
const reports = new MessenteApi.DeliveryReportApi();

// The client is callback-based; (error, data, response) becomes a promise.
const call = (api, method, ...args) =>
  new Promise((resolve, reject) => {
    api[method](...args, (error, data, response) => (error ? reject(Object.assign(error, { response })) : resolve(data)));
  });

const sms = (fields) => MessenteApi.SMS.constructFromObject(fields);
const message = (fields) => MessenteApi.Omnimessage.constructFromObject(fields);

async function main() {
  console.log(`messente_api ${require('messente_api/package.json').version} -> ${client.basePath}`);

  // 1. Send with the key's sender; the 201 parses into OmniMessageCreateSuccessResponse.
  const sent = await call(omni, 'sendOmnimessage', message({ to: '+3725551234', messages: [sms({ text: 'Hello from node' })] }));
  assert.ok(sent instanceof MessenteApi.OmniMessageCreateSuccessResponse, sent);
  assert.strictEqual(sent.to, '+3725551234');
  assert.ok(sent.messages[0].sender && sent.messages[0].message_id, JSON.stringify(sent));
  console.log(`sendOmnimessage: 201 parsed, omnimessage_id=${sent.omnimessage_id}`);

  // 2. The delivery report.
  const report = await call(reports, 'retrieveDeliveryReport', sent.omnimessage_id);
  assert.strictEqual(report.omnimessage_id, sent.omnimessage_id);
  assert.strictEqual(report.statuses[0].status, 'DELIVRD', JSON.stringify(report));
  assert.ok(report.statuses[0].timestamp instanceof Date, JSON.stringify(report));
  console.log(`retrieveDeliveryReport: ${report.statuses[0].status} at ${report.statuses[0].timestamp.toISOString()}`);

  // 3. Scheduled an hour ahead: null status, cancel 202 {}, then 404. messente_api 1.5.0 turns a
  // Date object into "time_to_send": null (it re-parses String(date)); an ISO string survives.
  const later = new Date(Date.now() + 3600 * 1000).toISOString();
  const scheduled = await call(
    omni,
    'sendOmnimessage',
    message({ to: '+3725551234', messages: [sms({ text: 'Later', ttl: 600 })], time_to_send: later, priority: 'low' })
  );
  const pending = await call(reports, 'retrieveDeliveryReport', scheduled.omnimessage_id);
  assert.ok(pending.statuses[0].status == null, JSON.stringify(pending));
  console.log(`retrieveDeliveryReport before time_to_send: status=${pending.statuses[0].status}`);
  const cancelled = await call(omni, 'cancelScheduledMessage', scheduled.omnimessage_id);
  assert.deepStrictEqual(JSON.parse(JSON.stringify(cancelled)), {});
  console.log('cancelScheduledMessage: 202 {}');
  await assert.rejects(call(omni, 'cancelScheduledMessage', scheduled.omnimessage_id), (e) => e.status === 404);
  console.log('cancelScheduledMessage again: 404');

  // 4. Viber first, SMS as fallback.
  const viber = MessenteApi.Viber.constructFromObject({ text: 'Viber first', sender: 'ViberShop' });
  const fallback = await call(omni, 'sendOmnimessage', message({ to: '+3725551234', messages: [viber, sms({ text: 'SMS' })] }));
  const statuses = (await call(reports, 'retrieveDeliveryReport', fallback.omnimessage_id)).statuses;
  assert.deepStrictEqual(statuses.map((s) => [s.channel, s.status]), [['viber', 'UNDELIV'], ['sms', 'DELIVRD']]);
  console.log('sendOmnimessage with a Viber entry: viber UNDELIV, sms DELIVRD');

  // 5. A fault-injection recipient.
  const rejected = await call(omni, 'sendOmnimessage', message({ to: '+447700900003', messages: [sms({ text: 'no' })] }));
  const last = (await call(reports, 'retrieveDeliveryReport', rejected.omnimessage_id)).statuses[0];
  assert.deepStrictEqual([last.status, last.err, last.error], ['REJECTD', 7, 'Sender name not allowed']);
  console.log(`retrieveDeliveryReport for +447700900003: ${last.status} err ${last.err} (${last.error})`);

  // 6. A refusal is an error carrying the status and the Omnimessage error body.
  await assert.rejects(
    call(omni, 'sendOmnimessage', message({ to: '+0', messages: [sms({ text: 'x' })] })),
    (e) => e.status === 400 && e.response.body.errors[0].source === 'payload[to]'
  );
  console.log("invalid 'to': 400 with source payload[to]");
  console.log('OK');
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
