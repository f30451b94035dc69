/**
 * EVENT_BUS: PutEvents of 1-10 entries; valid entries are appended to `bus:<name>` as EventBridge
 * envelopes before the call returns; invalid entries get `{ErrorCode, ErrorMessage}` in place.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { DataSourceError } from '../../src/resolvers/index.ts';
import { app, code, field, openStorage, rejection, runtimeFor } from './fixtures/harness.ts';

const storage = openStorage({});
after(() => storage.close());

const bus = storage.dataSource({ name: 'bus', type: 'EVENT_BUS', bus: 'orders' });
const call = { auth: { mode: 'API_KEY', identity: null }, typeName: 'Mutation', fieldName: 'createOrder' } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const event = (n: number) => ({ source: 'test', detailType: 'tick', detail: { n } });

const LENGTH_MESSAGE = "1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10 and greater than or equal to 1";

test('PutEvents with no events fails with ValidationException', async () => {
  const error = await rejection(bus.invoke({ operation: 'PutEvents', events: [] }, call));
  assert.ok(error instanceof DataSourceError);
  assert.equal(error.type, 'ValidationException');
  assert.equal(error.message, LENGTH_MESSAGE);
});

test('PutEvents with 11 events fails with ValidationException and appends nothing', async () => {
  const head = await storage.eventLog.head('bus:orders');
  const error = await rejection(bus.invoke({ operation: 'PutEvents', events: Array.from({ length: 11 }, (_, i) => event(i)) }, call));
  assert.ok(error instanceof DataSourceError);
  assert.equal(error.type, 'ValidationException');
  assert.equal(error.message, LENGTH_MESSAGE);
  assert.equal(await storage.eventLog.head('bus:orders'), head);
});

test('PutEvents with 10 events appends all of them, in order', async () => {
  const head = await storage.eventLog.head('bus:orders');
  const result = (await bus.invoke({ operation: 'PutEvents', events: Array.from({ length: 10 }, (_, i) => event(i)) }, call)) as { Entries: { EventId: string }[]; FailedEntryCount: number };
  assert.equal(result.FailedEntryCount, 0);
  const records = await storage.eventLog.read('bus:orders', head, 20);
  assert.deepEqual(records.map((r) => (JSON.parse(r.payload) as { detail: { n: number } }).detail.n), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(records.map((r) => r.id), result.Entries.map((e) => e.EventId));
});

test('an entry without source gets a per-entry error while valid entries get an EventId', async () => {
  const head = await storage.eventLog.head('bus:orders');
  const result = (await bus.invoke(
    { operation: 'PutEvents', events: [event(1), { detailType: 'tick', detail: { n: 2 } }, { source: 'test', detail: {} }, { source: 'test', detailType: 'x', detail: '[1]' }, event(5)] },
    call,
  )) as { Entries: Record<string, string>[]; FailedEntryCount: number };
  assert.equal(result.FailedEntryCount, 3);
  assert.equal(result.Entries.length, 5);
  assert.deepEqual(result.Entries.slice(1, 4), [
    { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.' },
    { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.' },
    { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
  ]);
  assert.deepEqual(Object.keys(result.Entries[0]!), ['EventId']);
  assert.match(result.Entries[0]!['EventId']!, UUID);
  assert.match(result.Entries[4]!['EventId']!, UUID);
  const records = await storage.eventLog.read('bus:orders', head, 20);
  assert.deepEqual(records.map((r) => r.id), [result.Entries[0]!['EventId'], result.Entries[4]!['EventId']]);
});

test('the envelope has the EventBridge shape, with time, resources and a JSON-string detail honoured', async () => {
  const head = await storage.eventLog.head('bus:orders');
  const result = (await bus.invoke(
    { operation: 'PutEvents', events: [{ source: 'order.api', detailType: 'order.paid', detail: '{"id":"o1"}', resources: ['arn:aws:x'], time: '2023-01-02T03:04:05.678Z' }] },
    call,
  )) as { Entries: { EventId: string }[] };
  const [record] = await storage.eventLog.read('bus:orders', head, 1);
  assert.ok(record);
  assert.equal(record.time, storage.clock.now());
  assert.deepEqual(JSON.parse(record.payload), {
    version: '0',
    id: result.Entries[0]!.EventId,
    'detail-type': 'order.paid',
    source: 'order.api',
    account: '000000000000',
    time: '2023-01-02T03:04:05Z',
    region: 'us-east-1',
    resources: ['arn:aws:x'],
    detail: { id: 'o1' },
  });
});

test('an operation other than PutEvents is a BadRequestException', async () => {
  const error = await rejection(bus.invoke({ operation: 'PutEvent', events: [event(1)] }, call));
  assert.ok(error instanceof DataSourceError);
  assert.equal(error.type, 'BadRequestException');
  assert.equal(error.message, "Unsupported operation 'PutEvent'. Only PutEvents is supported.");
});

test('through a resolver, a PutEvents validation failure lands in ctx.error', async () => {
  const runtime = await runtimeFor(
    app({
      dataSources: { bus: { name: 'bus', type: 'EVENT_BUS', bus: 'orders' } },
      resolvers: [
        {
          kind: 'UNIT',
          typeName: 'Mutation',
          fieldName: 'publish',
          dataSource: 'bus',
          code: code(`export function request(ctx) { return { operation: 'PutEvents', events: ctx.args.events }; } export function response(ctx) { return { error: ctx.error, result: ctx.result }; }`),
        },
      ],
    }),
    storage,
  );
  assert.deepEqual(JSON.parse(JSON.stringify(await runtime.resolve(field('Mutation', 'publish', { events: [] })))), { error: { message: LENGTH_MESSAGE, type: 'ValidationException' }, result: null });
});
