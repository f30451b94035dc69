/**
 * PutEvents through the real `@aws-sdk/client-eventbridge` client: acknowledged events are in the
 * bus's event log as EventBridge envelopes; invalid entries fail alone with AWS's codes; the
 * request-level limits fail the whole call.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateEventBusCommand, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { sdkError, startBusApi, type BusApiHarness } from './api-support.ts';

let h: BusApiHarness;
before(async () => {
  h = await startBusApi();
});
after(() => h.close());

test('PutEvents appends each acknowledged event to bus:default as an EventBridge envelope', async () => {
  const out = await h.client.send(
    new PutEventsCommand({
      Entries: [
        { Source: 'com.example.orders', DetailType: 'Order Placed', Detail: '{"orderId":"o-1","total":12.5}', Resources: ['arn:aws:example:::order/o-1'] },
        { Source: 'com.example.orders', DetailType: 'Order Paid', Detail: '{"orderId":"o-1"}', Time: new Date('2026-03-04T05:06:07.890Z') },
      ],
    }),
  );
  assert.equal(out.FailedEntryCount, 0);
  const ids = (out.Entries ?? []).map((e) => e.EventId);
  assert.equal(ids.length, 2);
  // UUIDs, version 7 (time-ordered; AWS's are version 4, see docs/bus-api.md), in call order.
  for (const id of ids) assert.match(id ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.ok((ids[0] ?? '') < (ids[1] ?? ''), 'ids taken in order sort in order');

  const log = await h.busLog('default');
  const byId = new Map(log.map((r) => [r.id, JSON.parse(r.payload) as Record<string, unknown>]));
  const placed = byId.get(ids[0] ?? '');
  assert.ok(placed, 'the first event is in the log');
  assert.deepEqual(Object.keys(placed), ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
  assert.equal(placed['version'], '0');
  assert.equal(placed['id'], ids[0]);
  assert.equal(placed['detail-type'], 'Order Placed');
  assert.equal(placed['source'], 'com.example.orders');
  assert.equal(placed['account'], '000000000000');
  assert.equal(placed['region'], 'us-east-1', 'the region the client signed for');
  assert.match(String(placed['time']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.deepEqual(placed['resources'], ['arn:aws:example:::order/o-1']);
  assert.deepEqual(placed['detail'], { orderId: 'o-1', total: 12.5 });
  assert.equal(byId.get(ids[1] ?? '')?.['time'], '2026-03-04T05:06:07Z', 'Time is kept, at second precision');
});

test('PutEvents reports invalid entries one by one with AWS codes while valid ones go through', async () => {
  const out = await h.client.send(
    new PutEventsCommand({
      Entries: [
        { DetailType: 'x', Detail: '{}' },
        { Source: 'a', DetailType: 'x', Detail: '[]' },
        { Source: 'a', DetailType: 'ok', Detail: '{"n":1}' },
        { Source: 'aws.s3', DetailType: 'x', Detail: '{}' },
        { Source: 'a', DetailType: '', Detail: '{}' },
      ],
    }),
  );
  assert.equal(out.FailedEntryCount, 4);
  const entries = out.Entries ?? [];
  assert.deepEqual(entries[0], { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.' });
  assert.deepEqual(entries[1], { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' });
  assert.ok(entries[2]?.EventId, 'the valid entry gets an EventId');
  assert.equal(entries[3]?.ErrorCode, 'NotAuthorizedForSourceException');
  assert.deepEqual(entries[4], { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.' });
  const log = await h.busLog('default');
  assert.ok(log.some((r) => r.id === entries[2]?.EventId));
  assert.equal(log.filter((r) => JSON.parse(r.payload)['detail-type'] === 'x').length, 0, 'failed entries are not appended');
});

test('PutEvents with more than 10 entries fails as a whole with ValidationException', async () => {
  const entry = { Source: 'a', DetailType: 'b', Detail: '{}' };
  const error = await sdkError(h.client.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry) })));
  assert.equal(error.name, 'ValidationException');
  assert.equal(error.status, 400);
  assert.match(error.message, /at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10/);
});

test('PutEvents over the total entry size limit fails as a whole', async () => {
  const big = JSON.stringify({ blob: 'x'.repeat(140_000) });
  const error = await sdkError(
    h.client.send(new PutEventsCommand({ Entries: [{ Source: 'a', DetailType: 'b', Detail: big }, { Source: 'a', DetailType: 'b', Detail: big }] })),
  );
  assert.equal(error.name, 'ValidationException');
  assert.equal(error.message, 'Total size of the entries in the request is over the limit.');
});

test('PutEvents to a custom bus appends to its own stream; to a missing bus the entry succeeds and is dropped', async () => {
  await h.client.send(new CreateEventBusCommand({ Name: 'orders' }));
  const out = await h.client.send(
    new PutEventsCommand({
      Entries: [
        { Source: 'a', DetailType: 'to-orders', Detail: '{}', EventBusName: 'orders' },
        { Source: 'a', DetailType: 'to-orders-by-arn', Detail: '{}', EventBusName: 'arn:aws:events:us-east-1:000000000000:event-bus/orders' },
        { Source: 'a', DetailType: 'nowhere', Detail: '{}', EventBusName: 'no-such-bus' },
      ],
    }),
  );
  assert.equal(out.FailedEntryCount, 0);
  const orders = await h.busLog('orders');
  assert.deepEqual(orders.map((r) => JSON.parse(r.payload)['detail-type']), ['to-orders', 'to-orders-by-arn']);
  assert.equal((await h.busLog('no-such-bus')).length, 0);
  assert.ok(out.Entries?.[2]?.EventId, 'AWS answers an EventId for a bus that does not exist');
});
